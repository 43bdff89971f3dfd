"""The Merkle log against the published RFC 6962 / RFC 9162 test vectors.

The leaves, roots and proofs below are the reference vectors of Certificate Transparency
(published with the RFC 6962 reference implementation and carried on by transparency-dev's
`merkle` module): eight leaves and the tree heads of sizes 1 to 8.
"""

from __future__ import annotations

import hashlib
import itertools

import pytest

from engine.domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    roots_at,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]  # fmt: skip
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]  # fmt: skip
H = bytes.fromhex
# (leaf number counted from 1, tree size, path)
INCLUSION = [
    (1, 8, [H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (3, 3, [H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (2, 5, [H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]  # fmt: skip
CONSISTENCY = [
    (1, 8, [H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]  # fmt: skip
HASHED = [leaf_hash(leaf) for leaf in LEAVES]


def test_the_empty_tree_is_the_hash_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == hashlib.sha256(b"").hexdigest()
    assert root_of([]) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_tree_heads_match_the_published_roots(size: int) -> None:
    assert root_of(HASHED[:size]) == ROOTS[size - 1]


def test_a_frontier_grown_leaf_by_leaf_has_every_published_root() -> None:
    frontier = Frontier()
    for size, hashed in enumerate(HASHED, start=1):
        frontier.append(hashed)
        assert frontier.root() == ROOTS[size - 1]
        restored = Frontier(frontier.size, list(frontier.hashes))
        assert restored.root() == ROOTS[size - 1]


def test_a_frontier_refuses_a_wrong_number_of_hashes() -> None:
    with pytest.raises(ValueError, match="has 2 hashes"):
        Frontier(3, [HASHED[0]])


@pytest.mark.parametrize(("number", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_published_paths_and_verify(
    number: int, size: int, path: list[bytes]
) -> None:
    assert inclusion_proof(HASHED[:size], number - 1) == path
    verify_inclusion(HASHED[number - 1], number - 1, size, path, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_published_proofs_and_verify(
    old: int, new: int, path: list[bytes]
) -> None:
    assert consistency_proof(HASHED[:new], old) == path
    verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], path)


def _flipped(path: list[bytes], index: int) -> list[bytes]:
    changed = list(path)
    changed[index] = bytes([changed[index][0] ^ 16]) + changed[index][1:]
    return changed


@pytest.mark.parametrize(("number", "size", "path"), INCLUSION)
def test_a_corrupted_inclusion_proof_fails(number: int, size: int, path: list[bytes]) -> None:
    index, root, leaf = number - 1, ROOTS[size - 1], HASHED[number - 1]
    wrong = [
        (leaf, index + 1, size, path, root),
        (leaf, index ^ 2, size, path, root),
        (leaf, index, size * 2, path, root),
        (leaf, index, size // 2, path, root),
        (leaf_hash(b"WrongLeaf"), index, size, path, root),
        (leaf, index, size, path, EMPTY_ROOT),
        (leaf, index, size, [*path, root], root),
        (leaf, index, size, [root, *path], root),
        (leaf, index, size, path[:-1], root),
        *((leaf, index, size, _flipped(path, i), root) for i in range(len(path))),
    ]
    for arguments in wrong:
        with pytest.raises(ProofError):
            verify_inclusion(*arguments)


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_a_corrupted_consistency_proof_fails(old: int, new: int, path: list[bytes]) -> None:
    root1, root2 = ROOTS[old - 1], ROOTS[new - 1]
    wrong = [
        (old - 1, new, root1, root2, path),
        (old + 1, new, root1, root2, path),
        (old, new * 2, root1, root2, path),
        (old, new, root2, root1, path),
        (old, new, EMPTY_ROOT, root2, path),
        (old, new, root1, root2, []),
        (old, new, root1, root2, [*path, root1]),
        (old, new, root1, root2, [root2, *path]),
        (old, new, root1, root2, path[:-1]),
        *((old, new, root1, root2, _flipped(path, i)) for i in range(len(path))),
    ]
    for arguments in wrong:
        with pytest.raises(ProofError):
            verify_consistency(*arguments)


def test_trivial_consistency_between_equal_or_empty_sizes() -> None:
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[4], [])
    verify_consistency(3, 3, ROOTS[2], ROOTS[2], [])
    with pytest.raises(ProofError):
        verify_consistency(3, 3, ROOTS[2], ROOTS[3], [])
    with pytest.raises(ProofError):
        verify_consistency(4, 3, ROOTS[3], ROOTS[2], [])


def test_every_proof_of_larger_trees_verifies() -> None:
    """Generated and verified for every leaf and size up to 40 (odd shapes included)."""
    leaves = [leaf_hash(str(i).encode()) for i in range(40)]
    for size in range(1, 41):
        root = root_of(leaves[:size])
        for index in range(size):
            proof = inclusion_proof(leaves[:size], index)
            verify_inclusion(leaves[index], index, size, proof, root)
    for old, new in itertools.combinations(range(1, 41), 2):
        proof = consistency_proof(leaves[:new], old)
        verify_consistency(old, new, root_of(leaves[:old]), root_of(leaves[:new]), proof)


def test_roots_at_reports_each_wanted_size_in_one_pass() -> None:
    seen: dict[int, bytes] = {}
    total = roots_at(HASHED, [3, 8, 1, 20], seen.__setitem__)
    assert total == 8
    assert seen == {1: ROOTS[0], 3: ROOTS[2], 8: ROOTS[7]}
