"""Port sets and IP sets: the two value spaces of a NetworkPolicy connection.

A :class:`PortSet` holds, per protocol (TCP, UDP, SCTP), the set of destination
ports 1-65535 as one Python integer used as a bitmask: union, intersection and
difference are single integer operations, which keeps the reachability engine
fast without arrays or a third-party set library.  An :class:`IPSet` is a
sorted tuple of disjoint ``(first, last)`` address intervals per IP family.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Iterable, Iterator

PROTOCOLS = ("TCP", "UDP", "SCTP")
MAX_PORT = 65535
_FULL = ((1 << (MAX_PORT + 1)) - 1) & ~1  # bits 1..65535


def _range_mask(lo: int, hi: int) -> int:
    lo, hi = max(lo, 1), min(hi, MAX_PORT)
    if lo > hi:
        return 0
    return ((1 << (hi - lo + 1)) - 1) << lo


def _runs(mask: int) -> Iterator[tuple[int, int]]:
    """Maximal runs of set bits as ``(first, last)``, ascending."""
    while mask:
        lo = (mask & -mask).bit_length() - 1
        # bits from lo upwards: find the first zero above lo
        shifted = mask >> lo
        length = ((shifted + 1) & ~shifted).bit_length() - 1
        yield lo, lo + length - 1
        mask &= ~(((1 << length) - 1) << lo)


@dataclass(frozen=True, slots=True)
class PortSet:
    """Destination ports per protocol; immutable and hashable."""

    tcp: int = 0
    udp: int = 0
    sctp: int = 0

    # --- construction ---------------------------------------------------------------
    @staticmethod
    def all() -> "PortSet":
        return ALL_PORTS

    @staticmethod
    def none() -> "PortSet":
        return NO_PORTS

    @staticmethod
    def of(protocol: str, lo: int | None = None, hi: int | None = None) -> "PortSet":
        """Ports ``lo..hi`` of one protocol; ``lo`` None means every port of it."""
        mask = _FULL if lo is None else _range_mask(lo, lo if hi is None else hi)
        p = protocol.upper()
        if p == "TCP":
            return PortSet(tcp=mask)
        if p == "UDP":
            return PortSet(udp=mask)
        if p == "SCTP":
            return PortSet(sctp=mask)
        raise ValueError(f"unsupported protocol {protocol!r}")

    # --- algebra ----------------------------------------------------------------------
    def __or__(self, o: "PortSet") -> "PortSet":
        return PortSet(self.tcp | o.tcp, self.udp | o.udp, self.sctp | o.sctp)

    def __and__(self, o: "PortSet") -> "PortSet":
        return PortSet(self.tcp & o.tcp, self.udp & o.udp, self.sctp & o.sctp)

    def __sub__(self, o: "PortSet") -> "PortSet":
        return PortSet(self.tcp & ~o.tcp, self.udp & ~o.udp, self.sctp & ~o.sctp)

    def __bool__(self) -> bool:
        return bool(self.tcp or self.udp or self.sctp)

    @property
    def is_all(self) -> bool:
        return self.tcp == _FULL and self.udp == _FULL and self.sctp == _FULL

    def mask(self, protocol: str) -> int:
        return getattr(self, protocol.lower())

    def contains(self, protocol: str, port: int) -> bool:
        return 1 <= port <= MAX_PORT and bool((self.mask(protocol) >> port) & 1)

    def protocol_is_all(self, protocol: str) -> bool:
        return self.mask(protocol) == _FULL

    def ranges(self, protocol: str) -> list[tuple[int, int]]:
        return list(_runs(self.mask(protocol)))

    def __str__(self) -> str:
        if self.is_all:
            return "all ports"
        if not self:
            return "nothing"
        parts = []
        for p in PROTOCOLS:
            m = self.mask(p)
            if not m:
                continue
            if m == _FULL:
                parts.append(f"{p} all")
                continue
            rs = [f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in _runs(m)]
            if len(rs) > 8:
                rs = rs[:8] + [f"... ({len(rs) - 8} more)"]
            parts.append(f"{p} {','.join(rs)}")
        return "; ".join(parts)


ALL_PORTS = PortSet(_FULL, _FULL, _FULL)
NO_PORTS = PortSet()


# --- IP sets ----------------------------------------------------------------------------

def _norm(iv: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    iv = sorted(iv)
    out: list[tuple[int, int]] = []
    for lo, hi in iv:
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def _minus(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for lo, hi in a:
        cur = lo
        for blo, bhi in b:
            if bhi < cur or blo > hi:
                continue
            if blo > cur:
                out.append((cur, blo - 1))
            cur = max(cur, bhi + 1)
            if cur > hi:
                break
        if cur <= hi:
            out.append((cur, hi))
    return tuple(out)


def _intersect(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


@dataclass(frozen=True, slots=True)
class IPSet:
    """Addresses as disjoint intervals, IPv4 and IPv6 kept apart."""

    v4: tuple[tuple[int, int], ...] = ()
    v6: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def parse(cidr: str) -> "IPSet":
        """One CIDR (or a bare address); raises ValueError with a readable message."""
        net = ipaddress.ip_network(str(cidr).strip(), strict=False)
        iv = ((int(net.network_address), int(net.broadcast_address)),)
        return IPSet(v4=iv) if net.version == 4 else IPSet(v6=iv)

    @staticmethod
    def parse_many(cidrs: "Iterable[str]") -> "IPSet":
        """The union of several CIDRs or addresses (ValueError on the first bad one)."""
        out = IPSet()
        for c in cidrs:
            out = out | IPSet.parse(c)
        return out

    def __or__(self, o: "IPSet") -> "IPSet":
        return IPSet(_norm(list(self.v4 + o.v4)), _norm(list(self.v6 + o.v6)))

    def __sub__(self, o: "IPSet") -> "IPSet":
        return IPSet(_minus(self.v4, o.v4), _minus(self.v6, o.v6))

    def __and__(self, o: "IPSet") -> "IPSet":
        return IPSet(_intersect(self.v4, o.v4), _intersect(self.v6, o.v6))

    def __bool__(self) -> bool:
        return bool(self.v4 or self.v6)

    def covers(self, o: "IPSet") -> bool:
        return not (o - self)

    def contains(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        n = int(ip)
        for lo, hi in (self.v4 if ip.version == 4 else self.v6):
            if lo <= n <= hi:
                return True
        return False

    def cidrs(self) -> list[str]:
        out = []
        for fam, ivs in ((4, self.v4), (6, self.v6)):
            cls = ipaddress.IPv4Address if fam == 4 else ipaddress.IPv6Address
            for lo, hi in ivs:
                out.extend(str(n) for n in ipaddress.summarize_address_range(cls(lo), cls(hi)))
        return out

    def __str__(self) -> str:
        c = self.cidrs()
        if not c:
            return "no address"
        return ", ".join(c[:6]) + (f" ... ({len(c) - 6} more)" if len(c) > 6 else "")


ALL_IPS = IPSet.parse("0.0.0.0/0") | IPSet.parse("::/0")
NO_IPS = IPSet()
# Address ranges that are not on the public internet (RFC 6890 special-purpose blocks).
NON_PUBLIC = IPSet()
for _c in ("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
           "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
           "203.0.113.0/24", "224.0.0.0/3", "::/127", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64",
           "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8"):
    NON_PUBLIC = NON_PUBLIC | IPSet.parse(_c)
INTERNET = ALL_IPS - NON_PUBLIC
INTERNET_V4 = IPSet(v4=INTERNET.v4)
INTERNET_V6 = IPSet(v6=INTERNET.v6)


def covers_internet(ips: IPSet) -> bool:
    """Every public IPv4 address, or every public IPv6 address, is in ``ips``."""
    return ips.covers(INTERNET_V4) or ips.covers(INTERNET_V6)
METADATA_IP = "169.254.169.254"
