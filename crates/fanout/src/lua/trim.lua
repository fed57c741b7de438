-- Trims a stream down to what its consumer groups may still need, atomically (no group can
-- read or acknowledge between the look and the trim).
-- KEYS[1]: the stream. ARGV[1]: the length cap, 0 for none: entries past it are dropped
-- even if a group has not processed them (the safety valve).
-- Returns {entries every group had processed, entries dropped by the cap}.
local stream = KEYS[1]
local cap = tonumber(ARGV[1])
if redis.call('EXISTS', stream) == 0 then
  return {0, 0}
end

-- Stream ids are "ms-seq"; both parts fit a Lua number exactly in practice (ms < 2^53).
local function older(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end

-- The oldest entry any group still needs: its oldest pending entry (read, not yet
-- acknowledged) if it has one, else its last-delivered id (everything up to it was read
-- and acknowledged; what follows it is unread). Entries older than that are done.
local floor = nil
for _, group in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
  local info = {}
  for i = 1, #group, 2 do
    info[group[i]] = group[i + 1]
  end
  local needed = info['last-delivered-id']
  if info['pending'] > 0 then
    needed = redis.call('XPENDING', stream, info['name'])[2]
  end
  if floor == nil or older(needed, floor) then
    floor = needed
  end
end

local processed = 0
if floor ~= nil then
  processed = redis.call('XTRIM', stream, 'MINID', floor)
end
local over_cap = 0
if cap > 0 then
  over_cap = redis.call('XTRIM', stream, 'MAXLEN', cap)
end
return {processed, over_cap}
