-- Prepended to the bucket scripts: the Redis server's clock in microseconds (so the
-- processes' own clocks do not matter), and integer formatting (Lua 5.1 would print
-- 16-digit microsecond times in exponent form).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function f(x) return string.format('%d', x) end
