package io.swarmshare.redis;

/**
 * The Lua scripts that change one file's keys atomically. Every script takes the seven keys of
 * one file ({@link Keys#file}), which share a hash tag and so one Redis Cluster slot, and the
 * caller's clock in milliseconds: time comes from the tracker node, as it does for the in-memory
 * tracker, so tests can move it and every node agrees within its clock skew.
 *
 * <p>A peer is alive while {@code lastSeen > now - ttl}. A file is alive while
 * {@code active > now - ttl} once someone announced it, where {@code active} is its last
 * announce, and for the short {@code unannouncedTtl} after it was registered until then, so junk
 * registrations cannot hold the tracker's file budget; registering again keeps nothing alive. Each
 * script first drops the peers that are no longer alive (so no entry outlives its TTL by more
 * than the next request for that file), and every script that writes sets a Redis TTL on all
 * seven keys, so a file nobody touches is removed by Redis itself.
 */
final class Scripts {
  private Scripts() {}

  /** Shared prologue: argument names (now, ttl, unannounced ttl first), and the pruning of dead peers. */
  private static final String PRUNE = """
      local f, n, p, h, s, i, o = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
      local now, ttl, unttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local cutoff = now - ttl
      -- Scores go to Redis as the caller's strings: a Lua number would be formatted on every call.
      local nows, cutoffs = ARGV[1], tostring(cutoff)
      local function alive_file()
        local state = redis.call('HMGET', f, 'active', 'announced')
        if not state[1] then return false end
        local life = (state[2] == '1') and ttl or unttl
        return tonumber(state[1]) + life > now
      end
      local function prune()
        local dead = redis.call('ZRANGEBYSCORE', p, '-inf', cutoffs)
        if #dead > 0 then
          redis.call('HDEL', i, unpack(dead))
          redis.call('ZREMRANGEBYSCORE', p, '-inf', cutoffs)
          redis.call('ZREMRANGEBYSCORE', h, '-inf', cutoffs)
          redis.call('ZREMRANGEBYSCORE', s, '-inf', cutoffs)
        end
      end
      local function keep(ms)
        for _, k in ipairs(KEYS) do redis.call('PEXPIRE', k, ms) end
      end
      """;

  /**
   * Registers a file under a name. ARGV after the prologue's three: manifest bytes, chunk count,
   * size, name, most names, key TTL, the registering address ({@code ""} in process), most names
   * from one address. Returns {@code {'ok', fresh, name...}}, {@code {'busy', names}} or
   * {@code {'names_from', names}}.
   */
  static final String REGISTER = PRUNE + """
      local fresh = 0
      if not alive_file() then
        redis.call('DEL', f, n, p, h, s, i, o)
        redis.call('HSET', f, 'manifest', ARGV[4], 'chunks', ARGV[5], 'size', ARGV[6], 'active', ARGV[1],
          'announced', '0', 'registrant', ARGV[10])
        fresh = 1
      end
      keep(ARGV[9])
      if not redis.call('LPOS', n, ARGV[7]) then
        local count = redis.call('LLEN', n)
        if count >= tonumber(ARGV[8]) then
          return {'busy', count}
        end
        if ARGV[10] ~= '' then
          local mine = 0
          for _, from in ipairs(redis.call('HVALS', o)) do
            if from == ARGV[10] then mine = mine + 1 end
          end
          if mine >= tonumber(ARGV[11]) then return {'names_from', mine} end
        end
        redis.call('RPUSH', n, ARGV[7])
        redis.call('HSET', o, ARGV[7], ARGV[10])
      end
      local out = {'ok', fresh}
      for _, name in ipairs(redis.call('LRANGE', n, 0, -1)) do table.insert(out, name) end
      return out
      """;

  /**
   * A whole announce in one round trip: the peer id's binding, the caps kept outside the file,
   * the file's own update and the bookkeeping. KEYS: the file's seven, then the binding, the
   * peer's file set, the origin address's entry set and the file index. ARGV after the
   * prologue's three: peer, entry (address and bitfield), chunk count, holds any (0/1), holds all
   * (0/1), most peers per file, key TTL, origin, in process (0/1), file id (hex), entry id
   * ({@code file/peer}), most files per peer, most entries per address, and the key of an address's
   * pending set up to where the address goes (see {@code Keys.pendingPrefix}).
   *
   * <p>It reaches keys in several Cluster slots (the binding, the peer's and the address's sets, and
   * the registrant's pending set, which it names itself): fine on one Redis, which is what
   * {@link RedisTracker} connects to; on a Cluster it would be split along slots again.
   *
   * <p>Returns {@code {'ok', new, registrant}}, {@code {'forbidden', owner}}, {@code {'peer_files',
   * held}}, {@code {'entries', count}}, {@code {'not_found'}}, {@code {'bad_size', chunks}} or
   * {@code {'busy', peers}}.
   */
  static final String ANNOUNCE = PRUNE + """
      local bk, pf, en, fx = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
      local peer, origin, inproc, fid, eid = ARGV[4], ARGV[11], ARGV[12] == '1', ARGV[13], ARGV[14]
      local v = redis.call('GET', bk)
      local foreign = false
      if v then
        local sep = string.find(v, '\\n', 1, true)
        local owner, seen = string.sub(v, 1, sep - 1), tonumber(string.sub(v, sep + 1))
        if seen > cutoff and owner ~= origin then
          if not inproc then return {'forbidden', owner} end
          foreign = true
        end
      end
      if not foreign then redis.call('SET', bk, origin .. '\\n' .. ARGV[1], 'PX', ARGV[10]) end
      local since = redis.call('ZSCORE', pf, fid)
      if (not since) or tonumber(since) <= cutoff then
        local held = redis.call('ZCOUNT', pf, '(' .. cutoffs, '+inf')
        if held >= tonumber(ARGV[15]) then return {'peer_files', held} end
        if not inproc then
          local mine = redis.call('ZSCORE', en, eid)
          local count = redis.call('ZCOUNT', en, '(' .. cutoffs, '+inf')
          if ((not mine) or tonumber(mine) <= cutoff) and count >= tonumber(ARGV[16]) then
            return {'entries', count}
          end
        end
      end
      local state = redis.call('HMGET', f, 'active', 'announced', 'chunks', 'registrant', 'kept')
      if not state[1] then return {'not_found'} end
      local announced = state[2] == '1'
      if tonumber(state[1]) + (announced and ttl or unttl) <= now then return {'not_found'} end
      if state[3] ~= ARGV[6] then return {'bad_size', state[3]} end
      prune()
      local new = 0
      if not redis.call('ZSCORE', p, peer) then
        local count = redis.call('ZCARD', p)
        if count >= tonumber(ARGV[9]) then return {'busy', count} end
        new = 1
      end
      -- A write that adds a member may have created its key, which then needs a TTL at once.
      local added = new
      redis.call('ZADD', p, nows, peer)
      added = added + redis.call('HSET', i, peer, ARGV[5])
      if ARGV[7] == '1' then added = added + redis.call('ZADD', h, nows, peer) else redis.call('ZREM', h, peer) end
      if ARGV[8] == '1' then added = added + redis.call('ZADD', s, nows, peer) else redis.call('ZREM', s, peer) end
      local registrant = ''
      if announced then
        redis.call('HSET', f, 'active', nows)
      else
        registrant = state[4] or ''
        redis.call('HSET', f, 'active', nows, 'announced', '1')
        if registrant ~= '' then redis.call('ZREM', ARGV[17] .. registrant .. '}', fid) end
      end
      -- Refreshing the TTL of eleven keys is most of an announce's commands, and a fleet re-announces
      -- every few seconds: refresh only when something was added or half the margin beyond the
      -- peer TTL has passed since the last refresh, so no key expires before ttl + margin / 2.
      local ms = tonumber(ARGV[10])
      if added > 0 or (not state[5]) or now - tonumber(state[5]) >= (ms - ttl) / 2 then
        keep(ARGV[10])
        redis.call('HSET', f, 'kept', nows)
      end
      redis.call('ZADD', pf, nows, fid)
      redis.call('PEXPIRE', pf, ARGV[10])
      redis.call('ZADD', fx, nows, fid)
      if not inproc then
        redis.call('ZADD', en, nows, eid)
        redis.call('PEXPIRE', en, ARGV[10])
      end
      return {'ok', new, registrant}
      """;

  /** Removes a peer. ARGV after the prologue's three: peer. Returns {@code {'ok', removed}}. */
  static final String LEAVE = PRUNE + """
      local removed = redis.call('ZREM', p, ARGV[4])
      redis.call('ZREM', h, ARGV[4])
      redis.call('ZREM', s, ARGV[4])
      redis.call('HDEL', i, ARGV[4])
      return {'ok', removed}
      """;

  /**
   * A random sample of live peers with up to a few seeders always in it, as the in-memory
   * tracker's {@code PeerSample} draws it. ARGV after the prologue's three: limit, seeders always. Returns
   * {@code {'ok', chunks, peer, lastSeen, entry, ...}} or {@code {'not_found'}}.
   */
  static final String PEERS = PRUNE + """
      if not alive_file() then return {'not_found'} end
      prune()
      local limit = tonumber(ARGV[4])
      local out = {'ok', redis.call('HGET', f, 'chunks')}
      if limit == 0 then return out end
      local chosen, scores, seen = {}, {}, {}
      local function draw(key, count)
        local got = redis.call('ZRANDMEMBER', key, count, 'WITHSCORES')
        for k = 1, #got, 2 do
          if #chosen >= limit then return end
          local peer = got[k]
          if not seen[peer] then
            table.insert(chosen, peer); table.insert(scores, got[k + 1]); seen[peer] = true
          end
        end
      end
      local first = math.min(limit, tonumber(ARGV[5]))
      if first > 0 then draw(s, first) end
      draw(p, limit + #chosen)
      if #chosen == 0 then return out end
      local entries = redis.call('HMGET', i, unpack(chosen))
      for k, peer in ipairs(chosen) do
        table.insert(out, peer)
        table.insert(out, scores[k])
        table.insert(out, entries[k])
      end
      return out
      """;

  /**
   * A file's manifest and how many live peers hold at least one chunk. ARGV: the prologue's three. Returns
   * {@code {'ok', manifest, size, holders}} or {@code {'not_found'}}.
   */
  static final String DESCRIBE = PRUNE + """
      if not alive_file() then return {'not_found'} end
      return {'ok', redis.call('HGET', f, 'manifest'), redis.call('HGET', f, 'size'),
        redis.call('ZCOUNT', h, '(' .. cutoffs, '+inf')}
      """;
}
