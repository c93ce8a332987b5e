"""The command lines of ``spacy train`` / ``spacy pretrain`` that ``pipeline.model.train`` runs, and the runner that
starts them a few at a time, each job's commands one after another (one thread each for BLAS, a fixed hash seed:
the same weights on the same machine)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from pipeline.model import vectors

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO_ROOT / "configs"

log = logging.getLogger("pipeline.model.train")


def log_line(msg: str, quiet: bool) -> None:
    log.info(msg)
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def train_cmd(cfg: Path, out: Path, work_dir: Path, train: str, dev: str, seed: int,
               init_tok2vec: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "spacy", "train", str(cfg), "--output", str(out),
           "--paths.train", str(work_dir / f"{train}.spacy"), "--paths.dev", str(work_dir / f"{dev}.spacy"),
           "--system.seed", str(seed), "--code", str(CONFIG_DIR / "numpy_blas.py")]
    if reads_static_vectors(cfg):
        cmd += ["--paths.vectors", str(vectors.pipeline_dir(work_dir))]
    return cmd + (["--paths.init_tok2vec", str(init_tok2vec)] if init_tok2vec else [])


def reads_static_vectors(cfg: Path) -> bool:
    """Does any layer of the config read static vectors (`include_static_vectors = true`, at any depth)?"""
    from thinc.api import Config

    def reads(section: object) -> bool:
        if not isinstance(section, dict):
            return False
        return section.get("include_static_vectors") is True or any(reads(v) for v in section.values())

    return reads(Config().from_disk(cfg, interpolate=False))


def pretrain_cmd(cfg: Path, out: Path, work_dir: Path, seed: int, epochs: int) -> list[str]:
    """``spacy pretrain`` of the config's tok2vec on ``work_dir/raw_text.jsonl`` (character objective);
    the weights of epoch N go to ``out/modelN.bin``."""
    return [sys.executable, "-m", "spacy", "pretrain", str(cfg), str(out),
            "--paths.raw_text", str(work_dir / "raw_text.jsonl"), "--pretraining.max_epochs", str(epochs),
            "--system.seed", str(seed), "--code", str(CONFIG_DIR / "numpy_blas.py")]


def run_parallel(jobs: list[tuple[str, list[list[str]]]], logs_dir: Path, parallel: int, quiet: bool) -> None:
    """Run the jobs, ``parallel`` at a time; a job is a name and commands that run one after another,
    all logged to ``logs_dir/NAME.log``."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               PYTHONHASHSEED="0")
    pending = [(name, list(cmds)) for name, cmds in jobs]
    running: list[tuple[str, list[list[str]], subprocess.Popen, object]] = []

    def start(name: str, cmds: list[list[str]], fh) -> None:
        log_line(f"training {name}: {' '.join(cmds[0])}", quiet)
        proc = subprocess.Popen(cmds[0], stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=str(REPO_ROOT))
        running.append((name, cmds[1:], proc, fh))

    while pending or running:
        while pending and len(running) < parallel:
            name, cmds = pending.pop(0)
            start(name, cmds, (logs_dir / f"{name}.log").open("w"))
        time.sleep(2)
        for item in list(running):
            name, rest, proc, fh = item
            rc = proc.poll()
            if rc is None:
                continue
            running.remove(item)
            if rc != 0:
                fh.close()
                for _, _, p, f in running:
                    p.kill()
                    f.close()
                tail = (logs_dir / f"{name}.log").read_text()[-3000:]
                raise RuntimeError(f"training {name} failed (exit {rc}):\n{tail}")
            if rest:
                start(name, rest, fh)
            else:
                fh.close()
                log_line(f"finished {name}", quiet)

