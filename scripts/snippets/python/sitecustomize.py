# Loaded by every Python snippet the toolchain runs (it is on PYTHONPATH). stdout shares one pipe
# with stderr; making it line-buffered, as it is on a terminal, keeps their order what a terminal
# shows.
import sys

sys.stdout.reconfigure(line_buffering=True)


def _record_reads():
    # The files a run opens, for its freshness key (scripts/snippets/reads.ts): one line per file,
    # `r <path>` for a read, `w <path>` for a write, `x <program>` when it starts another program
    # (whose reads are not seen: its folder then counts), appended to the file the runner names.
    # Nothing goes to the output, and the variable leaves the environment: the snippet sees the
    # environment it saw before.
    import os

    target = os.environ.get("DECK_SNIPPET_READS")
    if not target:
        return
    del os.environ["DECK_SNIPPET_READS"]
    try:
        # Opened before the hook is there (it is not a read of the snippet's); not inherited.
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        return
    seen = set()
    writing = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    abspath, fsdecode, write = os.path.abspath, os.fsdecode, os.write

    # The standard library is never the project's (the runner filters the rest): not written down.
    stdlib = os.path.dirname(os.__file__) + os.sep

    def record(kind, name):
        if isinstance(name, int):
            return  # an open file descriptor
        name = abspath(fsdecode(name))
        if name.startswith(stdlib):
            return
        line = f"{kind} {name}\n"
        if line not in seen:
            seen.add(line)
            write(fd, line.encode("utf-8", "surrogateescape"))

    def hook(event, args):
        try:
            if event == "open":
                name, mode, flags = args
                if mode is not None:
                    kind = "w" if any(c in mode for c in "wax+") else "r"
                else:
                    kind = "w" if (flags or 0) & writing else "r"
                record(kind, name)
            elif event in ("os.rename", "shutil.copyfile", "shutil.copytree", "os.link", "os.symlink"):
                record("w", args[1])
            elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"):
                line = "x\n"
                if line not in seen:
                    seen.add(line)
                    write(fd, line.encode())
        except Exception:
            pass

    sys.addaudithook(hook)


_record_reads()
del _record_reads
