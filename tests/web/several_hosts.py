"""Machinery for running several application hosts on this one machine (for the hosts test).

Each host gets a network namespace of its own (``ip netns``), joined to this machine by a
veth pair with link-local addresses (169.254.x.y/30, never routed anywhere). PostgreSQL listens
on 127.0.0.1 only, so a small TCP forwarder on the machine's end of each veth pair carries the
host's database connections to it. Where namespaces cannot be made (not root, no iproute2, no
CAP_NET_ADMIN) the hosts listen on loopback addresses of their own (127.0.0.2, 127.0.0.3) and
reach PostgreSQL directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

IP = shutil.which("ip")
HTTP_PORT_IN_NAMESPACE = 8000
"""The port gunicorn listens on inside a namespace of its own (free there by construction)."""


@dataclass
class Place:
    """Where one host runs: the address the test reaches it at and how it reaches PostgreSQL."""

    name: str
    address: str
    port: int
    database_host: str
    database_port: int
    prefix: list[str] = field(default_factory=list)
    """The command prefix that runs a program there (``ip netns exec NAME``), or none."""

    @property
    def base(self) -> str:
        """The host's base URL."""
        return f"http://{self.address}:{self.port}"


class Forwarder:
    """Carries TCP connections from a listening address to a target (asyncio, own thread)."""

    def __init__(self, listen: str, target: tuple[str, int]) -> None:
        self.listen = listen
        self.target = target
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"forward-{listen}", daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def start(self) -> Forwarder:
        """Start listening on a free port of the listening address."""
        self._thread.start()
        if not self._ready.wait(10) or self._server is None:
            msg = f"the forwarder on {self.listen} did not start"
            raise RuntimeError(msg)
        return self

    def stop(self) -> None:
        """Close the listener and every carried connection."""
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._shut)
        self._thread.join(10)

    def _shut(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        self._loop.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._carry, self.listen, 0)
            )
            self.port = self._server.sockets[0].getsockname()[1]
        finally:
            self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _carry(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
        )
        self._writers.difference_update((writer, upstream_writer))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy until either end closes, then close the other end too."""
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def _ip(*arguments: str) -> None:
    assert IP is not None
    subprocess.run([IP, *arguments], check=True, capture_output=True, timeout=10)


class Namespaces:
    """Network namespaces with veth pairs, removed again by :meth:`remove` (even half made)."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(3)
        self.octet = 100 + secrets.randbelow(100)
        self.names: list[str] = []
        self.links: list[str] = []
        self.forwarders: list[Forwarder] = []

    def place(self, index: int, database: tuple[str, int]) -> Place:
        """Make namespace number ``index`` and a forwarder from it to the database."""
        name = f"qzhost-{self.token}-{index}"
        outer, inner = f"qz{self.token}{index}o", f"qz{self.token}{index}i"
        machine_end = f"169.254.{self.octet}.{4 * index + 1}"
        host_end = f"169.254.{self.octet}.{4 * index + 2}"
        _ip("netns", "add", name)
        self.names.append(name)
        _ip("link", "add", outer, "type", "veth", "peer", "name", inner, "netns", name)
        self.links.append(outer)
        _ip("addr", "add", f"{machine_end}/30", "dev", outer)
        _ip("link", "set", outer, "up")
        _ip("-n", name, "addr", "add", f"{host_end}/30", "dev", inner)
        _ip("-n", name, "link", "set", inner, "up")
        _ip("-n", name, "link", "set", "lo", "up")
        forwarder = Forwarder(machine_end, database).start()
        self.forwarders.append(forwarder)
        assert IP is not None
        return Place(
            name=f"namespace {name} ({host_end})",
            address=host_end,
            port=HTTP_PORT_IN_NAMESPACE,
            database_host=machine_end,
            database_port=forwarder.port,
            prefix=[IP, "netns", "exec", name],
        )

    def remove(self) -> None:
        """Stop the forwarders, delete the veth pairs and the namespaces."""
        for forwarder in self.forwarders:
            forwarder.stop()
        for link in self.links:
            subprocess.run([str(IP), "link", "del", link], capture_output=True, timeout=10)
        for name in self.names:
            subprocess.run([str(IP), "netns", "del", name], capture_output=True, timeout=10)


def _free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def places(count: int, database: tuple[str, int]) -> Iterator[tuple[str, list[Place]]]:
    """``count`` places for hosts, and which way they were made ("namespaces" or "loopback")."""
    namespaces = Namespaces()
    try:
        try:
            if IP is None or os.geteuid() != 0:
                raise OSError("ip netns needs iproute2 and root")
            made = [namespaces.place(index, database) for index in range(count)]
            way = "namespaces"
        except (OSError, subprocess.SubprocessError, RuntimeError):
            namespaces.remove()
            namespaces = Namespaces()
            made = [_loopback_place(index, database) for index in range(count)]
            way = "loopback"
        yield way, made
    finally:
        namespaces.remove()


def _loopback_place(index: int, database: tuple[str, int]) -> Place:
    address = f"127.0.0.{index + 2}"
    return Place(
        name=f"loopback address {address}",
        address=address,
        port=_free_port(address),
        database_host=database[0],
        database_port=database[1],
    )


@dataclass
class Host:
    """One application host: `qualizyklus serve` (gunicorn) and its own follower."""

    place: Place
    server: subprocess.Popen[bytes]
    follower: subprocess.Popen[bytes]

    def processes(self) -> list[subprocess.Popen[bytes]]:
        """The host's two process groups' leaders."""
        return [self.server, self.follower]

    def kill(self) -> list[int]:
        """SIGKILL the gunicorn master, its workers and the follower at once; their pids."""
        pids = []
        for process in self.processes():
            pids += group_members(process.pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes():
            process.wait(10)
        return pids

    def stop(self) -> None:
        """SIGTERM both groups, SIGKILL what is left after a while."""
        for process in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def group_members(group: int) -> list[int]:
    """The pids of a process group's members (the leader and, for gunicorn, its workers)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                if int(fields[2]) == group:
                    members.append(int(entry.name))
    return sorted(members)


def start_host(place: Place, cli: str, env: dict[str, str], logs: Path, repository: Path) -> Host:
    """Start gunicorn (2 workers) and a follower at ``place``; each leads a process group."""
    logs.mkdir(parents=True, exist_ok=True)

    def run(name: str, command: list[str]) -> subprocess.Popen[bytes]:
        with (logs / f"{name}.log").open("wb") as log:
            return subprocess.Popen(
                [*place.prefix, *command],
                env=env,
                cwd=repository,  # gunicorn.conf.py, as in production
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    server = run(
        "serve", [cli, "serve", "--bind", f"{place.address}:{place.port}", "--workers", "2"]
    )
    follower = run("follower", [cli, "projections", "run"])
    return Host(place, server, follower)


def wait_until_serving(host: Host, timeout: float = 45.0) -> None:
    """Wait for the host's /healthz to answer 200 (failing if the server ends first)."""
    deadline = time.monotonic() + timeout
    while True:
        assert host.server.poll() is None, f"the server at {host.place.name} ended"
        try:
            if requests.get(f"{host.place.base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, f"{host.place.name} did not answer in time"
        time.sleep(0.2)
