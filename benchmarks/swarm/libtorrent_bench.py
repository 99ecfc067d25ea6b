#!/usr/bin/python3
"""The libtorrent side of the swarm benchmark: SEEDERS seeders and LEECHERS leechers of FILE on
loopback, in one process (each peer is its own lt.session with its own threads). Prints one
JSON line: {"seconds": time from adding the leechers' torrents to the last leecher finishing}.

Settings follow libtorrent's high_performance_seed, with uTP off (over loopback it crawls),
1 MiB pieces, peers introduced directly (no tracker), seeders in seed mode (no re-check).
Run with Debian's /usr/bin/python3 (python3-libtorrent)."""
import json
import os
import sys
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


def main():
    path, seeders, leechers, workdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    base_port = int(sys.argv[5]) if len(sys.argv) > 5 else 46000
    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, 1024 * 1024)
    lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(path)))
    info = lt.torrent_info(t.generate())

    sessions, seeds, leeches = [], [], []
    for i in range(seeders):
        ses = lt.session(settings(base_port + i))
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
    deadline = start + 600
    while time.monotonic() < deadline:
        if all(h.status().is_seeding for h in leeches):
            break
        time.sleep(0.01)
    seconds = time.monotonic() - start
    done = all(h.status().is_seeding for h in leeches)
    print(json.dumps({"seconds": round(seconds, 3), "complete": done}))


if __name__ == "__main__":
    main()
