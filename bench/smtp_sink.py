"""A counting SMTP sink for the newsletter benchmark: accepts everything, counts
messages per recipient, writes the counts as JSON to FILE on SIGTERM/SIGINT.

    python bench/smtp_sink.py PORT FILE
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections import Counter

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self):
        self.counts: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.counts[address] += 1
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()

    def stop(*_args):
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("ready", flush=True)
    done.wait()
    controller.stop()
    with open(path, "w") as out:
        json.dump(handler.counts, out)


if __name__ == "__main__":
    main()
