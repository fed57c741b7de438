-- A request that ended without a response: its lease goes, and its slot comes back if
-- its window is still the current one.
--
-- KEYS: state, leases. ARGV: lease id, generation.
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  local s = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'gen', 'unlimited')
  local limit = tonumber(s[1])
  if limit and s[4] ~= '1' and tonumber(s[3]) == tonumber(ARGV[2]) then
    redis.call('HSET', KEYS[1], 'remaining', math.min((tonumber(s[2]) or 0) + 1, limit))
  end
end
return 1
