#!/usr/bin/python3
"""The libtorrent side of the swarm benchmark: SEEDERS seeders and LEECHERS leechers of FILE on
loopback, in one process (each peer is its own lt.session with its own threads). Prints one
JSON line: {"seconds": time from adding the leechers' torrents to the last leecher finishing,
"complete", "leecher_seconds": each leecher's finishing time on the same clock,
"seeder_uploaded": payload bytes the seeders sent, "seed_rate": the cap or 0}.

Settings follow libtorrent's high_performance_seed, with uTP off (over loopback it crawls),
1 MiB pieces, peers introduced directly (no tracker), seeders in seed mode (no re-check).

--seed-rate BYTES caps each seeder session's upload (upload_rate_limit, which is the limit of
the global peer class). libtorrent 2.x puts local and loopback peers in the local peer class,
which no session-wide limit applies to, so with a cap the seeder's peer class filter maps every
address, loopback included, to the global peer class only: the cap then applies on loopback.
Run with Debian's /usr/bin/python3 (python3-libtorrent)."""
import argparse
import json
import os
import time

import libtorrent as lt


def settings(port):
    s = lt.high_performance_seed()
    s["listen_interfaces"] = "127.0.0.1:%d" % port
    s["enable_outgoing_utp"] = False
    s["enable_incoming_utp"] = False
    s["enable_dht"] = False
    s["enable_lsd"] = False
    s["enable_upnp"] = False
    s["enable_natpmp"] = False
    s["alert_mask"] = 0
    s["allow_multiple_connections_per_ip"] = True
    return s


def cap_upload(ses, rate):
    """Caps the session's upload at RATE bytes/s, loopback peers included."""
    ses.apply_settings({"upload_rate_limit": rate})
    classes = lt.ip_filter()
    glob = 1 << lt.session.global_peer_class_id
    classes.add_rule("0.0.0.0", "255.255.255.255", glob)   # 127.0.0.0/8 included: not 'local'
    classes.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", glob)
    ses.set_peer_class_filter(classes)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("seeders", type=int)
    ap.add_argument("leechers", type=int)
    ap.add_argument("workdir")
    ap.add_argument("base_port", type=int, nargs="?", default=46000)
    ap.add_argument("--seed-rate", type=int, default=0, help="upload cap of each seeder, bytes/s (0: none)")
    ap.add_argument("--timeout", type=float, default=600, help="give up after this many seconds (default 600)")
    args = ap.parse_args()
    path, seeders, leechers, workdir, base_port = args.file, args.seeders, args.leechers, args.workdir, args.base_port

    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, 1024 * 1024)
    lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(path)))
    info = lt.torrent_info(t.generate())

    sessions, seeds, leeches = [], [], []
    for i in range(seeders):
        ses = lt.session(settings(base_port + i))
        if args.seed_rate > 0:
            cap_upload(ses, args.seed_rate)
        h = ses.add_torrent({"ti": info, "save_path": os.path.dirname(os.path.abspath(path)),
                             "flags": lt.torrent_flags.seed_mode})
        sessions.append(ses)
        seeds.append(h)
    ports = [base_port + i for i in range(seeders + leechers)]
    start = time.monotonic()
    for i in range(leechers):
        ses = lt.session(settings(base_port + seeders + i))
        save = os.path.join(workdir, "lt-leecher-%d" % i)
        os.makedirs(save, exist_ok=True)
        h = ses.add_torrent({"ti": info, "save_path": save})
        sessions.append(ses)
        leeches.append(h)
    for h in leeches:
        for p in ports:
            h.connect_peer(("127.0.0.1", p))
    finished = [None] * leechers
    deadline = start + args.timeout
    while time.monotonic() < deadline:
        for i, h in enumerate(leeches):
            if finished[i] is None and h.status().is_seeding:
                finished[i] = time.monotonic() - start
        if all(f is not None for f in finished):
            break
        time.sleep(0.01)
    seconds = time.monotonic() - start
    done = all(f is not None for f in finished)
    uploaded = sum(h.status().total_payload_upload for h in seeds)
    print(json.dumps({"seconds": round(max(finished) if done else seconds, 3), "complete": done,
                      "leecher_seconds": [None if f is None else round(f, 3) for f in finished],
                      "seeder_uploaded": uploaded, "seed_rate": args.seed_rate}))


if __name__ == "__main__":
    main()
