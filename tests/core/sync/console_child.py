"""A console process for the crash test: logs in, syncs, and keeps writing notes, printing the
client_seq of each one once its local transaction committed. The test kills it with SIGKILL."""

from __future__ import annotations

import sys
import time

from console.domain.records import RecordKind
from console.replica import Replica
from console.sync import SyncEngine


def main() -> None:
    url, username, password, path, record_id = sys.argv[1:6]
    replica = Replica(path)
    engine = SyncEngine(url, replica, long_poll_wait=5.0, push_interval=1.0, backoff_cap=0.5)
    engine.login(username, password)
    engine.start()
    while replica.row(RecordKind.INCIDENT, record_id) is None:  # the first sync brings it
        time.sleep(0.05)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        entry = replica.submit("incident.note", RecordKind.INCIDENT, record_id, {"text": f"kill-{n}"})
        print(entry.client_seq, flush=True)
        time.sleep(0.01)


if __name__ == "__main__":
    main()
