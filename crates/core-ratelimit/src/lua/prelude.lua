-- Prepended to the bucket scripts: the Redis server's clock in microseconds (so the
-- processes' own clocks do not matter), integer formatting (Lua 5.1 would print
-- 16-digit microsecond times in exponent form), and a bucket's state hash, parsed.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function f(x) return string.format('%d', x) end

-- limit, remaining, reset_at, refilled, unlimited, blocked, gen, epoch, hint of a bucket.
local function load_bucket(key)
  local s = redis.call('HMGET', key, 'limit', 'remaining', 'reset_at', 'refilled', 'unlimited', 'blocked', 'gen', 'epoch', 'hint')
  return tonumber(s[1]), tonumber(s[2]) or 0, tonumber(s[3]), s[4] == '1', s[5] == '1',
    tonumber(s[6]), tonumber(s[7]) or 0, tonumber(s[8]), tonumber(s[9]) or 0
end
