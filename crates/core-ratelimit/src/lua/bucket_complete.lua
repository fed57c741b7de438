-- What a response taught a header-driven bucket (after prelude.lua).
--
-- KEYS: ticket's state, ticket's leases, target state, target leases, routes, lockout.
-- ARGV: lease id, status, has window (1/0), limit, remaining, reset-after us, reset epoch
--       ('' for none), 429 wait us, global 429 (1/0), route template to record ('' for
--       none), bucket hash, ttl ms.
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[5], ARGV[10], ARGV[11])
  if KEYS[1] ~= KEYS[3] then redis.call('DEL', KEYS[1]) end
end
local key = KEYS[3]
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', f(now))
local inflight = redis.call('ZCARD', KEYS[4])
local limit, remaining, reset_at, refilled, unlimited, blocked, gen, epoch, hint = load_bucket(key)
local status = tonumber(ARGV[2])
if ARGV[3] == '1' then
  unlimited = false
  local after = tonumber(ARGV[6])
  local reset = now + after
  local new_epoch = tonumber(ARGV[7])
  local usable = math.max(tonumber(ARGV[5]) - inflight, 0)
  local newer
  if not reset_at then newer = true
  elseif new_epoch and epoch then newer = new_epoch > epoch + 0.001
  else newer = reset > reset_at + hint / 2 end
  if newer then
    limit = tonumber(ARGV[4]); remaining = usable; reset_at = reset; epoch = new_epoch
    hint = after; refilled = false; gen = gen + 1
  elseif not refilled then
    limit = tonumber(ARGV[4]); remaining = math.min(remaining, usable)
    reset_at = math.min(reset_at, reset); hint = math.max(hint, after)
  end
end
if status == 429 then
  local wait = tonumber(ARGV[8])
  if ARGV[9] == '1' then
    local cur = tonumber(redis.call('GET', KEYS[6]))
    if not cur or cur < now + wait then
      redis.call('SET', KEYS[6], f(now + wait), 'PX', f(math.floor(wait / 1000) + 1000))
    end
  else
    blocked = math.max(blocked or 0, now + wait); remaining = 0; unlimited = false
  end
elseif ARGV[3] ~= '1' and not limit and status >= 200 and status < 300 then
  unlimited = true
end
local fields = {'remaining', remaining, 'refilled', refilled and '1' or '0',
  'unlimited', unlimited and '1' or '0', 'gen', gen, 'hint', f(hint)}
if limit then table.insert(fields, 'limit'); table.insert(fields, limit) end
if reset_at then table.insert(fields, 'reset_at'); table.insert(fields, f(reset_at)) end
if blocked then table.insert(fields, 'blocked'); table.insert(fields, f(blocked)) end
table.insert(fields, 'epoch'); table.insert(fields, epoch and tostring(epoch) or '')
redis.call('HSET', key, unpack(fields))
redis.call('PEXPIRE', key, ARGV[12])
return 1
