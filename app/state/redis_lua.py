"""The Lua scripts of RedisStore: each runs atomically on the keys of one env.

KEYS, for every script: 1 seq, 2 lock, 3 log, 4 meta, 5 win, 6 wcols, 7 reload, 8 undo.
All carry the env's hash tag, so a script touches one slot (Redis Cluster). Column keys
(the prefix in ARGV plus a token) carry the same tag.
"""

# Catch up (and, with a token, take the env's write lock first). ARGV: token ("": a read),
# lock ttl ms, known seq, known gen, column key prefix, then (token, byte offset) pairs of
# the columns the caller holds. Returns {0} when the lock is taken, else {1, seq, gen,
# mode, meta, reload, windows}: mode "ok" (nothing new), "delta" (only the windows the log
# names since the known seq) or "all"; each window is {win} (gone) or {win, skeleton,
# token, bytes from the caller's offset, ...}.
SYNC = """
if ARGV[1] ~= '' then
  if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
end
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local gen = redis.call('HGET', KEYS[4], 'gen') or ''
local known = tonumber(ARGV[3])
if gen == ARGV[4] and seq == known then return {1, seq, gen, 'ok'} end
local wins = nil
if gen == ARGV[4] and gen ~= '' and seq > known and seq - known <= redis.call('LLEN', KEYS[3]) then
  wins = {}
  local seen = {}
  for _, note in ipairs(redis.call('LRANGE', KEYS[3], known - seq, -1)) do
    local names = cjson.decode(note)
    if type(names) ~= 'table' then wins = nil break end
    for _, w in ipairs(names) do
      if not seen[w] then seen[w] = true; table.insert(wins, w) end
    end
  end
end
local mode = 'delta'
if not wins then mode = 'all'; wins = redis.call('HKEYS', KEYS[5]) end
local offsets = {}
for i = 6, #ARGV, 2 do offsets[ARGV[i]] = tonumber(ARGV[i + 1]) end
local list = {}
for _, w in ipairs(wins) do
  local item = {w}
  local skel = redis.call('HGET', KEYS[5], w)
  if skel then
    table.insert(item, skel)
    for tok in string.gmatch(redis.call('HGET', KEYS[6], w) or '', '%S+') do
      table.insert(item, tok)
      table.insert(item, redis.call('GETRANGE', ARGV[5] .. tok, offsets[tok] or 0, -1))
    end
  end
  table.insert(list, item)
end
return {1, seq, gen, mode, redis.call('HGETALL', KEYS[4]), redis.call('HGETALL', KEYS[7]), list}
"""

# Apply the changes of one locked write and number them. ARGV: token, expected seq, column
# key prefix, log length, release ("1": drop the lock), then (op, a, b) triples. Each "l"
# op is one change: INCR the seq and log the windows it touched.
COMMIT = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return redis.error_reply('VISDOM lock lost') end
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[2]) then
  return redis.error_reply('VISDOM seq moved')
end
for i = 6, #ARGV, 3 do
  local op, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if op == 'ca' then redis.call('APPEND', ARGV[3] .. a, b)
  elseif op == 'cs' then redis.call('SET', ARGV[3] .. a, b)
  elseif op == 'cd' then redis.call('DEL', ARGV[3] .. a)
  elseif op == 'ws' then redis.call('HSET', KEYS[5], a, b)
  elseif op == 'wc' then
    if b == '' then redis.call('HDEL', KEYS[6], a) else redis.call('HSET', KEYS[6], a, b) end
  elseif op == 'wd' then redis.call('HDEL', KEYS[5], a); redis.call('HDEL', KEYS[6], a)
  elseif op == 'rs' then redis.call('HSET', KEYS[7], a, b)
  elseif op == 'rd' then redis.call('HDEL', KEYS[7], a)
  elseif op == 'ms' then redis.call('HSET', KEYS[4], a, b)
  elseif op == 'u' then
    if a == '' then redis.call('DEL', KEYS[8]) else redis.call('SET', KEYS[8], a) end
  elseif op == 'l' then redis.call('INCR', KEYS[1]); redis.call('RPUSH', KEYS[3], a)
  end
end
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
if ARGV[5] == '1' then redis.call('DEL', KEYS[2]) end
return tonumber(redis.call('GET', KEYS[1]) or '0')
"""

# Drop the lock if it is still ours. ARGV: token.
RELEASE = """
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 0
"""

# Delete every key of the env (with its lock, which the caller holds). ARGV: token, prefix.
DELETE = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return redis.error_reply('VISDOM lock lost') end
for _, toks in ipairs(redis.call('HVALS', KEYS[6])) do
  for tok in string.gmatch(toks, '%S+') do redis.call('DEL', ARGV[2] .. tok) end
end
for i = 1, 8 do redis.call('DEL', KEYS[i]) end
return 0
"""
