"""An append-only Merkle log as RFC 9162 (Certificate Transparency 2.0) defines it, section 2.1.

Leaves and interior nodes are hashed with distinct prefixes (0x00, 0x01), so that no leaf can
pose as a node. The tree over ``n`` leaves splits at the largest power of two below ``n``.
:func:`inclusion_proof` and :func:`consistency_proof` are the RFC's ``PATH`` and ``PROOF``;
:func:`verify_inclusion` and :func:`verify_consistency` are its verification algorithms
(sections 2.1.3.2 and 2.1.4.2). :class:`Frontier` keeps the few subtree hashes a growing log
needs to compute its root without rereading its leaves (a "compact range").

Hand-written rather than a library: no well-kept Python package offers RFC 9162 proofs with an
incremental root; this module is small and is tested against the published vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the empty tree: SHA-256 of nothing."""


class ProofError(ValueError):
    """A proof does not verify (wrong length, wrong sizes or a different root)."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Frontier:
    """The hashes of the perfect subtrees a log of ``size`` leaves is made of, left to right.

    Appending a leaf merges equal-sized subtrees (like a binary counter); the root folds them
    from the right. It holds at most log2(size) + 1 hashes.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            msg = f"a frontier of {size} leaves has {size.bit_count()} hashes, not {len(hashes)}"
            raise ValueError(msg)
        self.size = size
        self.hashes = list(hashes)

    def append(self, hashed_leaf: bytes) -> None:
        """Add one leaf (already hashed with :func:`leaf_hash`)."""
        node = hashed_leaf
        size = self.size
        while size & 1:
            node = node_hash(self.hashes.pop(), node)
            size >>= 1
        self.hashes.append(node)
        self.size += 1

    def extend(self, hashed_leaves: Iterable[bytes]) -> None:
        """Add leaves in order."""
        for hashed in hashed_leaves:
            self.append(hashed)

    def root(self) -> bytes:
        """The tree head of the leaves so far."""
        if not self.hashes:
            return EMPTY_ROOT
        node = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            node = node_hash(left, node)
        return node


def root_of(hashed_leaves: Iterable[bytes]) -> bytes:
    """The Merkle tree head over hashed leaves (MTH)."""
    frontier = Frontier()
    frontier.extend(hashed_leaves)
    return frontier.root()


def inclusion_proof(hashed_leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``hashed_leaves`` (RFC 9162 PATH)."""
    if not 0 <= index < len(hashed_leaves):
        msg = f"leaf {index} is not in a tree of {len(hashed_leaves)}"
        raise ValueError(msg)
    return _path(index, hashed_leaves)


def _path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, leaves[:k]), root_of(leaves[k:])]
    return [*_path(m - k, leaves[k:]), root_of(leaves[:k])]


def consistency_proof(hashed_leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """The proof that the first ``old_size`` leaves are a prefix of all (RFC 9162 PROOF)."""
    if not 0 <= old_size <= len(hashed_leaves):
        msg = f"size {old_size} is not within a tree of {len(hashed_leaves)}"
        raise ValueError(msg)
    if old_size in (0, len(hashed_leaves)):
        return []
    return _subproof(old_size, hashed_leaves, complete=True)


def _subproof(m: int, leaves: Sequence[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root_of(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), root_of(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), root_of(leaves[:k])]


def verify_inclusion(
    hashed_leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows the leaf at ``index`` under ``root``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is outside a tree of {size}")
    _check_sizes(proof)
    fn, sn = index, size - 1
    node = hashed_leaf
    for sibling in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the path")
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = node_hash(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path")
    if node != root:
        raise ProofError("the proof leads to another root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows the old tree is a prefix of the new."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"size {old_size} is not within {new_size}")
    if old_size == new_size or old_size == 0:
        if proof:
            raise ProofError("a proof between these sizes must be empty")
        if old_size == new_size and old_root != new_root:
            raise ProofError("the same size with another root")
        return
    if not proof:
        raise ProofError("the proof is empty")
    _check_sizes(proof)
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the path")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(node, fr), node_hash(node, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, node)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path")
    if fr != old_root:
        raise ProofError("the proof does not lead to the old root")
    if sr != new_root:
        raise ProofError("the proof does not lead to the new root")


def _check_sizes(proof: Sequence[bytes]) -> None:
    if any(len(node) != HASH_SIZE for node in proof):
        raise ProofError(f"every node of a proof has {HASH_SIZE} bytes")


def roots_at(
    hashed_leaves: Iterable[bytes], sizes: Iterable[int], on_root: Callable[[int, bytes], object]
) -> int:
    """Stream the leaves once, calling ``on_root(size, root)`` at each of ``sizes``.

    Returns how many leaves there were; sizes beyond that are not called.
    """
    wanted = sorted(set(sizes))
    frontier = Frontier()
    if wanted and wanted[0] == 0:
        on_root(0, EMPTY_ROOT)
    for hashed in hashed_leaves:
        frontier.append(hashed)
        while wanted and wanted[0] < frontier.size:
            wanted.pop(0)
        if wanted and wanted[0] == frontier.size:
            on_root(frontier.size, frontier.root())
            wanted.pop(0)
    return frontier.size
