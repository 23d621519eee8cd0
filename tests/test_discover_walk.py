"""The lazy folder walk yields exactly what the list-then-sort walk it replaced yielded.

`_ref_walk` is that former walk (every file of the tree listed, then sorted by relative
path); random trees with names that sort around "/" ("a-b", "a.b", "a0", "a b", "ü") and
nested ignore files and excludes must give the same tuples in the same order.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pathspec

from speechgate.discover import IGNORE_FILE, IgnoreFiles, _is_dir, _walk

NAMES = ["a", "a-b", "a.b", "a0", "a b", "ab", "b", "ü", "Z", "a_", "a~", "x.srt", "y.txt"]


def _ref_walk(root: Path, excluded: pathspec.PathSpec, included: pathspec.PathSpec | None,
              anchored: IgnoreFiles) -> list[tuple[str, str, str, bool]]:
    found: list[tuple[str, str, str, bool]] = []
    stack: list[tuple[str, str, IgnoreFiles]] = [("", os.fspath(root), anchored)]
    while stack:
        prefix, folder, ignores = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        if any(entry.name == IGNORE_FILE for entry in entries):
            ignores = ignores.with_folder(Path(folder))
        absolute = os.path.abspath(folder)
        joint = absolute if absolute.endswith(os.sep) else absolute + os.sep
        for entry in entries:
            name = entry.name
            rel = prefix + name
            if _is_dir(entry):
                if not entry.is_symlink() and not excluded.match_file(rel + "/") \
                        and not ignores.ignored_in(absolute, name, is_dir=True):
                    stack.append((rel + "/", entry.path, ignores))
                continue
            if name == IGNORE_FILE or excluded.match_file(rel) or ignores.ignored_in(absolute, name):
                continue
            if included is not None and not included.match_file(rel):
                continue
            found.append((rel, entry.path, joint + name, entry.is_symlink()))
    found.sort(key=lambda item: item[0])
    return found


def _random_tree(root: Path, rng: random.Random, depth: int = 0) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in rng.sample(NAMES, rng.randint(1, 7)):
        path = root / name
        if depth < 3 and rng.random() < 0.4:
            _random_tree(path, rng, depth + 1)
        else:
            path.write_text("x\n", encoding="utf-8")
    if rng.random() < 0.3:
        (root / IGNORE_FILE).write_text(rng.choice(["a-b\n", "*.txt\n", "a/\n", "!ab\nab*\n"]), encoding="utf-8")
    if hasattr(os, "symlink") and rng.random() < 0.3:
        files = [p for p in root.iterdir() if p.is_file()]
        if files:
            os.symlink(files[0], root / "zz-link")
        os.symlink(root, root / "a-loop", target_is_directory=True)


def test_lazy_walk_matches_the_sorted_list(tmp_path: Path) -> None:
    files = 0
    for seed in range(80):
        rng = random.Random(seed)
        root = tmp_path / f"tree{seed}"
        _random_tree(root, rng)
        excluded = pathspec.GitIgnoreSpec.from_lines(rng.choice([[], ["a0/"], ["*.srt"], ["a.b"]]))
        included = rng.choice([None, pathspec.GitIgnoreSpec.from_lines(["*.txt", "a*"])])
        anchored = IgnoreFiles().with_folder(root)
        want = _ref_walk(root, excluded, included, anchored)
        assert list(_walk(root, excluded, included, anchored)) == want, seed
        files += len(want)
    assert files > 400  # the trees are not filtered away


def test_lazy_walk_holds_only_the_folders_being_walked(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    for i in range(30):
        folder = root / f"f{i:02d}"
        folder.mkdir(parents=True)
        for j in range(5):
            (folder / f"{j}.txt").write_text("x")
    walk = _walk(root, pathspec.GitIgnoreSpec.from_lines([]), None, IgnoreFiles())
    first = next(walk)
    assert first[0] == "f00/0.txt"
    frame = walk.gi_frame
    assert frame is not None
    assert len(frame.f_locals["stack"]) == 2  # the root's listing and f00's, not all 30 folders


def _ref_discover(paths: list[str], include: list[str], exclude: list[str]) -> list[tuple[str, str, str]]:
    """The former `_discover`: every real path yielded is remembered."""
    from speechgate.discover import OUTSIDE_LINK, _explicit_skipped, _within

    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    anchored = IgnoreFiles()
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            top = os.path.realpath(root)
            for rel, path, _, linked in _ref_walk(root, excluded, included, anchored.with_folder(root)):
                real = os.path.realpath(path) if linked else os.path.join(top, rel)
                if real not in seen:
                    seen.add(real)
                    kind = OUTSIDE_LINK if linked and not _within(real, top) else "file"
                    out.append((path, rel, kind))
        elif not _explicit_skipped(root, excluded, included, anchored):
            real = os.path.realpath(root)
            if real not in seen:
                seen.add(real)
                out.append((given, root.as_posix(), "file"))
    return out


def _linked_tree(base: Path, rng: random.Random) -> list[Path]:
    """A random tree with links to files before and after them, outside, and to folders."""
    root = base / "tree"
    _random_tree(root, rng)
    outside = base / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("x\n")
    everything = sorted(p for p in root.rglob("*") if not p.is_symlink())
    files = [p for p in everything if p.is_file()]
    folders = [root, *(p for p in everything if p.is_dir())]
    for i in range(rng.randint(1, 6)):
        where = rng.choice(folders) / rng.choice(["a-ln", "zz-ln", f"m{i}", "0ln"])
        if where.exists() or where.is_symlink():
            continue
        gone = rng.choice(folders) / "a-gone.txt"  # a broken link
        target = rng.choice([*files, outside / "o.txt", rng.choice(folders), gone]) if files else gone
        os.symlink(target, where, target_is_directory=target.is_dir())
    return [root, *folders, *files]


def test_discovery_remembering_only_links_matches_remembering_everything(tmp_path: Path) -> None:
    from speechgate.discover import discover

    if not hasattr(os, "symlink"):
        return
    compared = 0
    for seed in range(120):
        rng = random.Random(1000 + seed)
        base = tmp_path / f"case{seed}"
        candidates = _linked_tree(base, rng)
        links = [p for p in (base / "tree").rglob("*") if p.is_symlink() and p.exists()]  # nameable ones
        if seed % 2:  # another folder, disjoint, linking into the first: walked before or after it
            other = base / "other"
            other.mkdir()
            (other / "k.txt").write_text("x\n")
            for i, target in enumerate(rng.sample(candidates, min(4, len(candidates)))):
                os.symlink(target, other / f"ln{i}", target_is_directory=target.is_dir())
            os.symlink(other / "k.txt", base / "tree" / "zz-other")
            paths = rng.sample([str(base / "tree"), str(other)], k=2)
        else:
            given = [str(rng.choice(candidates + links)) for _ in range(rng.randint(0, 2))]
            paths = rng.sample([str(base / "tree"), *given], k=1 + len(given))
        include = rng.choice([[], ["*.txt", "*ln", "m*"]])
        # folder-only sets (answered for folders only while walking, see discover._FoldersOnly)
        # and others, always against the reference, which asks the spec about every file
        exclude = rng.choice([[], ["a0/"], ["*.srt"], ["a/", "a b/", "# note", ""], ["a/", "*.txt"], ["!a/", "a/"]])
        got = [(os.fspath(a.path), a.display, "file" if a.kind != "symlink_outside" else a.kind)
               for a in discover(paths, include, exclude)]
        assert got == _ref_discover(paths, include, exclude), (seed, paths)
        compared += len(got)
    assert compared > 1000


def test_a_link_to_a_file_the_walk_left_out_is_scanned_through_the_link(tmp_path: Path) -> None:
    from speechgate.discover import discover

    if not hasattr(os, "symlink"):
        return
    root = tmp_path / "tree"
    for rel in ("a0/f.txt", "b/g.txt", "c/h.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n")
    (root / IGNORE_FILE).write_text("b/\n")
    for name, target in (("zz-a0", "a0/f.txt"), ("zz-b", "b/g.txt"), ("zz-c", "c/h.txt")):
        os.symlink(root / target, root / name)
    other = tmp_path / "other"
    other.mkdir()
    os.symlink(root / "a0" / "f.txt", other / "to-a0")
    os.symlink(root / "c" / "h.txt", other / "to-c")
    exclude = ["a0/", "!a0/f.txt"]  # a file below a left-out folder stays out, as in git
    shown = [a.display for a in discover([str(root), str(other)], exclude=exclude)]
    want = [d for _, d, _ in _ref_discover([str(root), str(other)], [], exclude)]
    assert shown == want == ["c/h.txt", "zz-a0", "zz-b"]


def test_a_broken_link_is_still_reported(tmp_path: Path) -> None:
    from speechgate.discover import discover

    if not hasattr(os, "symlink"):
        return
    root = tmp_path / "tree"
    root.mkdir()
    (root / "b.txt").write_text("x\n")
    os.symlink(root / "a-gone.txt", root / "z-broken")  # its target sorts before it, and does not exist
    shown = [(a.display, a.kind) for a in discover([str(root)])]
    assert ("z-broken", "unreadable") in shown
    assert [d for d, _ in shown] == [d for _, d, _ in _ref_discover([str(root)], [], [])]


def test_overlapping_paths_are_found_through_their_ancestors() -> None:
    from speechgate.discover import _overlapping

    reals = ["/data/a", "/data/a-b", "/data/a/x/y.txt", "/other", "/twice", "/twice", "/", "/solo/only"]
    assert _overlapping(reals[:6]) == {"/data/a", "/data/a/x/y.txt", "/twice"}
    assert _overlapping(reals) == set(reals)  # "/" holds every other path
    many = [f"/corpus/{i:05d}" for i in range(20_000)]  # pre-commit may pass thousands of paths
    assert _overlapping(many) == set()
    assert _overlapping([*many, "/corpus"]) == {*many, "/corpus"}


def test_only_positive_folder_patterns_count_as_folders_only() -> None:
    from speechgate.discover import folders_only

    assert folders_only([".git/", "node_modules/", "# a comment", ""])
    assert folders_only([])
    for lines in (["*.srt"], ["a/", "b"], ["!a/"], ["/"], ["a\\ /"], ["a/ "]):
        assert not folders_only(lines), lines


def test_a_named_file_inside_an_excluded_folder_stays_excluded(tmp_path: Path, monkeypatch) -> None:
    """A folder-only pattern still excludes a file named on the command line (no walk asked
    about its folders first)."""
    from speechgate.discover import discover

    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.srt").write_text("x\n")
    (tmp_path / "kept.srt").write_text("x\n")
    monkeypatch.chdir(tmp_path)
    found = [a.display for a in discover(["node_modules/x.srt", "kept.srt", "."], exclude=["node_modules/"])]
    assert found == ["kept.srt"]
