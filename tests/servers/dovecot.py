"""A real Dovecot from a self-contained config in a temp dir: IMAP (+STARTTLS) and IMAPS on loopback."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

MAIL_UID = 8  # Debian's `mail` user: Dovecot refuses to run mail as root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DovecotServer:
    host = "127.0.0.1"
    user = "inbox"
    password = "secret-token-123"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.dir.chmod(0o755)  # Dovecot's auth process runs as the dovecot user and reads the passwd file
        self.imap_port, self.imaps_port = free_port(), free_port()
        self.conf = self.dir / "dovecot.conf"
        self.cafile = str(self.dir / "cert.pem")
        self.log_path = self.dir / "dovecot.log"
        self.oauth_token = self.password

    def start(self) -> DovecotServer:
        self._certificate()
        mail = self.dir / "mail"
        mail.mkdir()
        subprocess.run(["chown", "-R", f"{MAIL_UID}:{MAIL_UID}", str(mail)], check=True)
        (self.dir / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}:{MAIL_UID}:{MAIL_UID}::{mail}\n")
        self.conf.write_text(self._config(mail))
        subprocess.run(["dovecot", "-c", str(self.conf)], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.client().logout()  # the auth process is up too, not only the listener
                return self
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"Dovecot did not start: {self.log_path.read_text()[-2000:] if self.log_path.exists() else ''}")

    def stop(self) -> None:
        subprocess.run(["dovecot", "-c", str(self.conf), "stop"], check=False, capture_output=True)

    def _certificate(self) -> None:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(self.dir / "key.pem"), "-out", self.cafile],
            check=True, capture_output=True,
        )

    def _config(self, mail: Path) -> str:
        return f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.log_path}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cafile}
ssl_key = <{self.dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
first_valid_uid = {MAIL_UID}
mail_location = maildir:{mail}/Maildir
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.dir}/passwd
}}
userdb {{
  driver = passwd-file
  args = {self.dir}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
}}
"""

    # -- fixtures helpers over a real IMAP connection --------------------------
    def client(self) -> IMAPClient:
        client = IMAPClient(self.host, port=self.imap_port, ssl=False)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.client() as c:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            c.append(folder, raw)

    def create_folder(self, name: str) -> None:
        with self.client() as c:
            c.create_folder(name)

    def recreate_folder(self, name: str) -> None:
        """Empty the folder and give it a new UIDVALIDITY, as a server does when it rebuilds a folder."""
        old = self.uidvalidity(name)
        doveadm = ["doveadm", "-c", str(self.conf)]
        subprocess.run([*doveadm, "expunge", "-u", self.user, "mailbox", name, "all"], check=True, capture_output=True)
        subprocess.run([*doveadm, "mailbox", "update", "-u", self.user, "--uid-validity", str(old + 1), name], check=True, capture_output=True)
        if self.uidvalidity(name) == old:
            raise RuntimeError(f"UIDVALIDITY of {name} did not change")

    def uidvalidity(self, folder: str) -> int:
        with self.client() as c:
            return int(c.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def uids(self, folder: str) -> list[int]:
        with self.client() as c:
            if not c.folder_exists(folder):
                return []
            c.select_folder(folder, readonly=True)
            return sorted(c.search(["ALL"]))

    def folders(self) -> list[str]:
        with self.client() as c:
            return [name for _flags, _sep, name in c.list_folders()]

    def empty_all(self) -> None:
        with self.client() as c:
            for _flags, _sep, name in c.list_folders():
                if name.upper() == "INBOX":
                    c.select_folder(name)
                    uids = c.search(["ALL"])
                    if uids:
                        c.delete_messages(uids)
                        c.expunge()
                    c.unselect_folder() if c.has_capability("UNSELECT") else c.close_folder()
                else:
                    c.delete_folder(name)
