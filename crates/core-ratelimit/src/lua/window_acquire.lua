-- One acquisition from a sliding log shared by every process. Redis runs a script alone,
-- so N processes calling it together see one sequence of decisions. Times are the Redis
-- server's clock (TIME) in microseconds; numbers are formatted with %d because Lua 5.1
-- would print 16-digit microsecond times in exponent form.
--
-- KEYS: log, seq, cold-start fence. ARGV: limit, window us, cold start wait (1/0).
-- Returns {1, now us} | {0, wait us}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local fence = redis.call('GET', KEYS[3])
if not fence then
  if ARGV[3] == '1' then fence = now + window else fence = now end
  redis.call('SET', KEYS[3], string.format('%d', fence))
end
fence = tonumber(fence)
if now < fence then return {0, fence - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now - window))
if redis.call('ZCARD', KEYS[1]) < limit then
  local seq = redis.call('INCR', KEYS[2])
  local stamp = string.format('%d', now)
  redis.call('ZADD', KEYS[1], stamp, stamp .. '-' .. seq)
  redis.call('PEXPIRE', KEYS[1], string.format('%d', math.floor(window / 1000) + 1000))
  return {1, now}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now + 1
if wait < 1 then wait = 1 end
return {0, wait}
