#!/usr/bin/env python3
"""An SMTP server for os2gov's end-to-end mail tests (tests/it/mail_e2e.rs), built on aiosmtpd.

It listens on 127.0.0.1 and stores every message it accepts in --maildir as <n>.eml (the
message as received) and <n>.rcpt (the envelope recipients, one a line), n = 1, 2, 3 ...
in the order accepted. Both are written before the server answers 250, the .eml last and
by rename, so a reader that sees <n>.eml sees a complete message and its <n>.rcpt.

Options:
  --port N         the port (0: any free one); "ready 127.0.0.1:<port>" is printed when listening
  --cert / --key   PEM certificate (chain) and key: STARTTLS is offered and required
  --maildir DIR    where the messages go (created)
  --refuse ADDR    answer "550 5.1.1 mailbox unavailable" to RCPT for ADDR (repeatable,
                   compared case-insensitively); each refusal is logged as a line in
                   <maildir>/refused.log
  --drop-after N   after N accepted messages (counted over all connections) close that
                   connection abruptly (no 421, no QUIT); the listener goes on accepting new
                   connections (greeting, EHLO, STARTTLS work), but every later transaction is
                   cut at MAIL FROM, so no message after the N-th is ever accepted
  --drop-once      with --drop-after: only the connection that accepted the N-th message is
                   closed; later connections are served normally (a client that reconnects
                   delivers the rest)
  --delay-after-store S
                   wait S seconds after storing a message before answering 250 (a message
                   the server has, whose 250 the client has not seen yet: the window a kill
                   or Ctrl-C can hit)

Install: python3 -m pip install aiosmtpd
"""

import argparse
import asyncio
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP


class State:
    def __init__(self, args):
        self.maildir = args.maildir
        self.refuse = {a.strip().lower() for a in args.refuse}
        self.drop_after = args.drop_after
        self.drop_once = args.drop_once
        self.delay_after_store = args.delay_after_store
        self.accepted = 0
        # Set when the N-th message was accepted; in --drop-once mode cleared after that drop.
        self.dropping = False


class Handler:
    def __init__(self, state):
        self.state = state

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.strip().lower() in self.state.refuse:
            with open(os.path.join(self.state.maildir, "refused.log"), "a", encoding="utf-8") as f:
                f.write(address + "\n")
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        st = self.state
        n = st.accepted + 1
        base = os.path.join(st.maildir, str(n))
        with open(base + ".rcpt", "w", encoding="utf-8") as f:
            f.write("".join(r + "\n" for r in envelope.rcpt_tos))
        tmp = base + ".eml.tmp"
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, base + ".eml")
        st.accepted = n
        if st.delay_after_store:
            await asyncio.sleep(st.delay_after_store)
        return "250 OK: queued as %d" % n


class FaultySMTP(SMTP):
    """aiosmtpd's SMTP session plus the --drop-after behaviour."""

    def __init__(self, handler, state, **kwargs):
        super().__init__(handler, **kwargs)
        self.state = state

    def _cut(self):
        for t in (self.transport, getattr(self, "_original_transport", None)):
            if t is not None:
                t.abort()

    async def smtp_MAIL(self, arg):
        if self.state.dropping and not self.state.drop_once:
            logging.info("dropping the connection at MAIL FROM (--drop-after)")
            self._cut()
            return
        await super().smtp_MAIL(arg)

    async def smtp_DATA(self, arg):
        before = self.state.accepted
        await super().smtp_DATA(arg)  # the 250 is written and drained
        st = self.state
        if st.drop_after is not None and before < st.drop_after <= st.accepted and not st.dropping:
            st.dropping = True
            logging.info("dropping the connection after message %d (--drop-after)", st.accepted)
            # close(), not abort(): the 250 for the N-th message must reach the client first.
            self.transport.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--maildir", required=True)
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--drop-after", type=int)
    p.add_argument("--drop-once", action="store_true")
    p.add_argument("--delay-after-store", type=float, default=0.0)
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args()
    if bool(args.cert) != bool(args.key):
        p.error("--cert and --key go together")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="smtp_server: %(message)s",
    )
    os.makedirs(args.maildir, exist_ok=True)
    state = State(args)

    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)

    async def serve():
        loop = asyncio.get_running_loop()
        handler = Handler(state)

        def factory():
            return FaultySMTP(
                handler,
                state,
                hostname="localhost",  # not socket.getfqdn(): no DNS look-up per connection
                tls_context=tls,
                require_starttls=tls is not None,
                data_size_limit=64 * 1024 * 1024,
                loop=loop,
            )

        server = await loop.create_server(factory, host="127.0.0.1", port=args.port)
        port = server.sockets[0].getsockname()[1]
        print("ready 127.0.0.1:%d" % port, flush=True)
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with server:
            await stop.wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
