"""The Lua scripts of RedisStore: each runs atomically on the keys of one env.

KEYS, for every script: the env's keys in redis_keys.ENV_KEYS order, written KEYS[$K_SEQ],
KEYS[$K_LOCK], ... here; ops ($OP_..), sync modes ($MODE_..) and meta fields ($META_..)
are the constants of redis_keys.py, filled in by `lua()` so both sides use one name.
All keys carry the env's hash tag, so a script touches one slot (Redis Cluster). Column
keys (the prefix in ARGV plus a token) carry the same tag.
"""

from .redis_keys import lua

# After dropping the lock: wake the process that waits for it (BLPOP on v{T}:go).
_HANDOFF = """if redis.call('EXISTS', KEYS[$K_WANT]) == 1 then
    redis.call('RPUSH', KEYS[$K_GO], '1'); redis.call('LTRIM', KEYS[$K_GO], -1, -1)
    redis.call('PEXPIRE', KEYS[$K_GO], 1000)
  end"""

# Catch up (and, with a token, take the env's write lock first). ARGV: token ("": a read),
# lock ttl ms, known seq, known gen, column key prefix, want ttl ms, then (token, byte
# offset) pairs of the columns the caller holds. Returns {0} when the lock is taken, else
# {1, seq, gen, mode, meta, reload, windows}: mode Mode.OK (nothing new), Mode.DELTA
# (only the windows the log names since the known seq) or Mode.ALL; each window is {win}
# (gone) or {win, skeleton, token, bytes from the caller's offset, ...}.
# A writer that finds the lock taken leaves its token in v{T}:want: the holder drops the
# lock at its next COMMIT (Hold.KEEP) and pushes to v{T}:go, which the waiter blocks on;
# until the waiter has had its turn nobody else takes the lock (the holder's next write
# would otherwise take it straight back).
SYNC = lua("""
if ARGV[1] ~= '' then
  local want = redis.call('GET', KEYS[$K_WANT])
  if (want and want ~= ARGV[1]) or not redis.call('SET', KEYS[$K_LOCK], ARGV[1], 'NX', 'PX', ARGV[2]) then
    if not want or want == ARGV[1] then redis.call('SET', KEYS[$K_WANT], ARGV[1], 'PX', ARGV[6]) end
    return {0}
  end
  if want then redis.call('DEL', KEYS[$K_WANT]) end
end
local seq = tonumber(redis.call('GET', KEYS[$K_SEQ]) or '0')
local gen = redis.call('HGET', KEYS[$K_META], '$META_GEN') or ''
local known = tonumber(ARGV[3])
if gen == ARGV[4] and seq == known then return {1, seq, gen, '$MODE_OK'} end
local wins = nil
if gen == ARGV[4] and gen ~= '' and seq > known and seq - known <= redis.call('LLEN', KEYS[$K_LOG]) then
  wins = {}
  local seen = {}
  for _, note in ipairs(redis.call('LRANGE', KEYS[$K_LOG], known - seq, -1)) do
    local names = cjson.decode(note)
    if type(names) ~= 'table' then wins = nil break end
    for _, w in ipairs(names) do
      if not seen[w] then seen[w] = true; table.insert(wins, w) end
    end
  end
end
local mode = '$MODE_DELTA'
if not wins then mode = '$MODE_ALL'; wins = redis.call('HKEYS', KEYS[$K_WIN]) end
local offsets = {}
for i = 7, #ARGV, 2 do offsets[ARGV[i]] = tonumber(ARGV[i + 1]) end
local list = {}
for _, w in ipairs(wins) do
  local item = {w}
  local skel = redis.call('HGET', KEYS[$K_WIN], w)
  if skel then
    table.insert(item, skel)
    for tok in string.gmatch(redis.call('HGET', KEYS[$K_WCOLS], w) or '', '%S+') do
      table.insert(item, tok)
      table.insert(item, redis.call('GETRANGE', ARGV[5] .. tok, offsets[tok] or 0, -1))
    end
  end
  table.insert(list, item)
end
return {1, seq, gen, mode, redis.call('HGETALL', KEYS[$K_META]), redis.call('HGETALL', KEYS[$K_RELOAD]), list}
""")

# Apply the changes of one locked write, number them, publish them and keep or drop the
# lock: one round trip. ARGV: token, expected seq, column key prefix, log length, hold
# (redis_keys.Hold), lock ttl ms, channel, blind, n, then n encoded Socket.IO messages to
# PUBLISH on the channel, then (op, a, b) triples (redis_keys.Op). Each Op.LOG is one
# change: INCR the seq and log the windows it touched. The messages leave in the same
# atomic step as the changes they announce, so every process receives each env's changes
# in seq order. blind "1": the caller has messages but did not encode them, as no page
# watched the env at its last commit; if one does now (v{T}:watch exists), nothing is
# applied and the error "VISDOM watched" asks for them.
# Returns {seq, 1 if the lock is kept else 0, 1 if a page watches the env else 0}.
COMMIT = lua(
    """
if redis.call('GET', KEYS[$K_LOCK]) ~= ARGV[1] then return redis.error_reply('VISDOM lock lost') end
if tonumber(redis.call('GET', KEYS[$K_SEQ]) or '0') ~= tonumber(ARGV[2]) then
  return redis.error_reply('VISDOM seq moved')
end
local watched = redis.call('EXISTS', KEYS[$K_WATCH])
if watched == 1 and ARGV[8] == '1' then return redis.error_reply('VISDOM watched') end
local first = 10 + tonumber(ARGV[9])
for i = first, #ARGV, 3 do
  local op, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if op == '$OP_COL_APPEND' then redis.call('APPEND', ARGV[3] .. a, b)
  elseif op == '$OP_COL_SET' then redis.call('SET', ARGV[3] .. a, b)
  elseif op == '$OP_COL_DEL' then redis.call('DEL', ARGV[3] .. a)
  elseif op == '$OP_WIN_SET' then redis.call('HSET', KEYS[$K_WIN], a, b)
  elseif op == '$OP_WIN_COLS' then
    if b == '' then redis.call('HDEL', KEYS[$K_WCOLS], a) else redis.call('HSET', KEYS[$K_WCOLS], a, b) end
  elseif op == '$OP_WIN_DEL' then redis.call('HDEL', KEYS[$K_WIN], a); redis.call('HDEL', KEYS[$K_WCOLS], a)
  elseif op == '$OP_RELOAD_SET' then redis.call('HSET', KEYS[$K_RELOAD], a, b)
  elseif op == '$OP_RELOAD_DEL' then redis.call('HDEL', KEYS[$K_RELOAD], a)
  elseif op == '$OP_META_SET' then redis.call('HSET', KEYS[$K_META], a, b)
  elseif op == '$OP_UNDO' then
    if a == '' then redis.call('DEL', KEYS[$K_UNDO]) else redis.call('SET', KEYS[$K_UNDO], a) end
  elseif op == '$OP_LOG' then redis.call('INCR', KEYS[$K_SEQ]); redis.call('RPUSH', KEYS[$K_LOG], a)
  end
end
if first <= #ARGV then redis.call('LTRIM', KEYS[$K_LOG], -tonumber(ARGV[4]), -1) end
for i = 10, first - 1 do redis.call('PUBLISH', ARGV[7], ARGV[i]) end
local kept = 0
if ARGV[5] == '$HOLD_KEEP_ANYWAY' or (ARGV[5] == '$HOLD_KEEP' and redis.call('EXISTS', KEYS[$K_WANT]) == 0) then
  redis.call('PEXPIRE', KEYS[$K_LOCK], ARGV[6])
  kept = 1
else
  redis.call('DEL', KEYS[$K_LOCK])
  $HANDOFF
end
return {tonumber(redis.call('GET', KEYS[$K_SEQ]) or '0'), kept, watched}
""".replace("$HANDOFF", _HANDOFF)
)

# Drop the lock if it is still ours. ARGV: token.
RELEASE = lua(
    """
if redis.call('GET', KEYS[$K_LOCK]) == ARGV[1] then
  redis.call('DEL', KEYS[$K_LOCK])
  $HANDOFF
end
return 0
""".replace("$HANDOFF", _HANDOFF)
)

# Drop a lock (KEYS[1], alone) if it still holds the value ARGV[1]: the takeover of a dead
# process's lock.
RELEASE_IF = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# Delete every key of the env (with its lock, which the caller holds) but v{T}:watch (its
# pages stay on it, and see the env again when a client makes it anew). ARGV: token, prefix.
DELETE = lua("""
if redis.call('GET', KEYS[$K_LOCK]) ~= ARGV[1] then return redis.error_reply('VISDOM lock lost') end
for _, toks in ipairs(redis.call('HVALS', KEYS[$K_WCOLS])) do
  for tok in string.gmatch(toks, '%S+') do redis.call('DEL', ARGV[2] .. tok) end
end
for i = 1, #KEYS do
  if i ~= $K_WATCH then redis.call('DEL', KEYS[i]) end
end
return 0
""")
