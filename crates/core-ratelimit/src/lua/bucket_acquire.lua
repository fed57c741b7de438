-- One admission to a header-driven bucket and the global limit (after prelude.lua).
--
-- KEYS: state, leases, routes, global log, global seq, global fence, global lockout.
-- ARGV: route template to look up ('' for none), global limit (0: none), global window us,
--       cold start wait (1/0), lease us, poll us, ttl ms.
-- Returns {1, generation, lease id} | {0, wait us, ''} | {2, 0, bucket hash}.
if ARGV[1] ~= '' then
  local h = redis.call('HGET', KEYS[3], ARGV[1])
  if h then return {2, 0, h} end
end
local lock = tonumber(redis.call('GET', KEYS[7]))
if lock and now < lock then return {0, lock - now, ''} end
local limit, remaining, reset_at, refilled, unlimited, blocked, gen = load_bucket(KEYS[1])
if blocked and now < blocked then return {0, blocked - now, ''} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', f(now))
local inflight = redis.call('ZCARD', KEYS[2])
local poll = tonumber(ARGV[6])
local take = false
if not unlimited then
  if not limit then
    if inflight > 0 then return {0, poll, ''} end
  else
    if not refilled and reset_at and reset_at <= now then
      remaining = math.max(limit - inflight, 0)
      refilled = true
      gen = gen + 1
    end
    if remaining > 0 then
      take = true
    elseif not refilled then
      return {0, math.max((reset_at or now + poll) - now, 1), ''}
    elseif inflight > 0 then
      return {0, poll, ''}
    end
  end
end
local glimit = tonumber(ARGV[2])
if glimit > 0 then
  local window = tonumber(ARGV[3])
  local fence = redis.call('GET', KEYS[6])
  if not fence then
    if ARGV[4] == '1' then fence = now + window else fence = now end
    redis.call('SET', KEYS[6], f(fence))
  end
  fence = tonumber(fence)
  if now < fence then return {0, fence - now, ''} end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. f(now - window))
  if redis.call('ZCARD', KEYS[4]) >= glimit then
    local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
    return {0, math.max(tonumber(oldest[2]) + window - now + 1, 1), ''}
  end
  local seq = redis.call('INCR', KEYS[5])
  redis.call('ZADD', KEYS[4], f(now), f(now) .. '-' .. seq)
  redis.call('PEXPIRE', KEYS[4], f(math.floor(window / 1000) + 1000))
end
if take then remaining = remaining - 1 end
local lease = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('ZADD', KEYS[2], f(now + tonumber(ARGV[5])), lease)
if limit then
  redis.call('HSET', KEYS[1], 'remaining', remaining, 'refilled', refilled and '1' or '0', 'gen', gen)
end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return {1, gen, tostring(lease)}
