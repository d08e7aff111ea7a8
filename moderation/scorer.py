"""Scorer: detoxify-backed toxicity scores, batched and thread-safe.

Models are loaded and run by detoxify's own code: ``detoxify.Detoxify`` for
the published weights, and detoxify's ``get_model_and_tokenizer`` for local
checkpoints, with every file taken from a local directory so that the bundled
model never reaches for the network.
"""

import hashlib
import inspect
import threading
from pathlib import Path

from .labels import LABELS, RENAMED
from .windows import STRIDE, WINDOW

MODELS_DIR = Path(__file__).resolve().parent / "models"
BUNDLED = "parley-minilm-v1"
PUBLISHED = ("original", "unbiased", "multilingual", "original-small", "unbiased-small")
CHECKPOINT_FILE = "model.ckpt"
PRECISIONS = ("auto", "float32", "bfloat16")


class ModelLoadError(RuntimeError):
    """A model file is missing, unreadable or not a detoxify checkpoint."""


def _detoxify_shell(model, tokenizer, class_names):
    """A detoxify.Detoxify around an already loaded model, so predict() is detoxify's."""
    from detoxify import Detoxify

    shell = Detoxify.__new__(Detoxify)
    shell.model, shell.tokenizer, shell.class_names = model, tokenizer, class_names
    shell.device = "cpu"
    return shell


def _read_checkpoint(path):
    """torch.load a detoxify checkpoint, or raise ModelLoadError naming the path."""
    import torch

    if not path.is_file():
        raise ModelLoadError(f"model checkpoint not found: {path}")
    try:
        # The format is plain dicts of tensors and strings: no pickled code needed.
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many types for a damaged file
        raise ModelLoadError(f"model checkpoint is unreadable: {path} ({exc})") from exc
    if not isinstance(loaded, dict) or "config" not in loaded or "state_dict" not in loaded:
        raise ModelLoadError(f"not a detoxify checkpoint (needs config and state_dict): {path}")
    return loaded


def _load_local(checkpoint, config_dir):
    """Model, tokenizer, class names and extras from a local checkpoint + HF files."""
    from detoxify.detoxify import get_model_and_tokenizer

    checkpoint, config_dir = Path(checkpoint), Path(config_dir)
    loaded = _read_checkpoint(checkpoint)
    if not (config_dir / "config.json").is_file():
        raise ModelLoadError(f"Hugging Face config.json not found in {config_dir} (for {checkpoint})")
    try:
        args = dict(loaded["config"]["arch"]["args"])
        classes = loaded["config"]["dataset"]["args"]["classes"]
        # detoxify resolves `model_type` with from_pretrained, which would go to
        # the hub for an id like "bert-base-uncased"; the local dir holds the
        # same config, so point it there and stay offline.
        args["model_type"] = str(config_dir)
        model, tokenizer = get_model_and_tokenizer(
            **args, state_dict=loaded["state_dict"], huggingface_config_path=str(config_dir)
        )
    except Exception as exc:
        raise ModelLoadError(f"could not build the model from {checkpoint}: {exc}") from exc
    model.float().eval()  # fp16 files become a float32 model
    return model, tokenizer, [RENAMED.get(c, c) for c in classes], loaded


def _load_with_hub(checkpoint):
    """A checkpoint without local config files: detoxify's load_checkpoint as is."""
    from detoxify.detoxify import load_checkpoint

    loaded = _read_checkpoint(checkpoint)
    try:
        model, tokenizer, classes = load_checkpoint(checkpoint=str(checkpoint))
    except Exception as exc:
        raise ModelLoadError(
            f"could not build the model from {checkpoint} (no config_dir given; the hub is needed): {exc}"
        ) from exc
    return model.float().eval(), tokenizer, classes, loaded


def _file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


class Scorer:
    """Scores comments on the six detoxify attributes.

    Scorer()                                 the bundled model (offline)
    Scorer(model="original")                 detoxify's published weights (network)
    Scorer(checkpoint=PATH, config_dir=DIR)  any detoxify-format checkpoint

    fast=False keeps transformers' own forward (moderation/fast.py computes
    the same scores with less CPU for BERT classifiers). precision is where
    the packed forward multiplies: "float32", "bfloat16", or "auto" (bfloat16
    where the CPU does it natively; scores move by at most a few thousandths,
    see MODEL_CARD.md). ``scorer.precision`` says which one runs.
    """

    def __init__(
        self,
        model=None,
        checkpoint=None,
        config_dir=None,
        batch_size=32,
        threads=None,
        fast=True,
        precision="auto",
        window=WINDOW,
        stride=STRIDE,
        combine="max",
    ):
        import torch

        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        if threads:
            torch.set_num_threads(threads)
        self.batch_size = batch_size
        self._windows(window, stride, combine)
        self.span_head = None
        self.model_dir = None  # where a local model's files (explain.json) live
        # One forward pass at a time: fast tokenizers are not safe to share
        # across threads, and torch already uses every core for one batch.
        self._lock = threading.Lock()
        if model is not None:
            self._load_published(model)
        else:
            self._load_checkpoint(checkpoint, config_dir)
        self.precision = "float32"
        if fast:
            self._speed_up(precision)

    def _windows(self, window, stride, combine):
        """How long comments are read: windows of `window` tokens, `stride` apart (windows.py)."""
        if not 0 < stride <= window - 2:
            raise ValueError(f"stride must be from 1 to the window less its two special tokens, not {stride}")
        self.window, self.stride, self.combine = window, stride, combine
        self.forward_passes = 0  # counted, so tests can check one pass per batch

    def _speed_up(self, precision):
        """Install moderation/fast.py's forward: less CPU for the same model."""
        from .fast import choose_precision, speed_up, supports

        bf16 = choose_precision(precision) == "bfloat16"
        speed_up(self._detox.model, bf16=bf16)
        if bf16 and supports(self._detox.model):
            self.precision = "bfloat16"

    def _load_published(self, model):
        from detoxify import Detoxify

        if model not in PUBLISHED:
            raise ModelLoadError(f"unknown detoxify model {model!r}; one of {', '.join(PUBLISHED)}")
        try:
            self._detox = Detoxify(model_type=model, device="cpu")
        except Exception as exc:
            raise ModelLoadError(f"could not load detoxify {model!r} weights (network?): {exc}") from exc
        self._detox.model.eval()
        self.name = f"detoxify-{model}"
        from importlib.metadata import version

        self.version = version("detoxify")

    def _load_checkpoint(self, checkpoint, config_dir):
        import torch

        if checkpoint is None:
            # The bundled model: every file is local and loaded with
            # local_files_only, so the hub is never asked.
            checkpoint = MODELS_DIR / BUNDLED / CHECKPOINT_FILE
        checkpoint = Path(checkpoint)
        explicit = config_dir is not None
        config_dir = Path(config_dir) if explicit else checkpoint.parent
        if explicit or (config_dir / "config.json").is_file():
            model, tokenizer, classes, loaded = _load_local(checkpoint, config_dir)
        else:
            # No local HF files: detoxify fetches config and tokenizer by model_type.
            model, tokenizer, classes, loaded = _load_with_hub(checkpoint)
            config_dir = None
        self._detox = _detoxify_shell(model, tokenizer, classes)
        self.model_dir = config_dir
        config = loaded["config"]
        self.name = config.get("name", checkpoint.parent.name)
        self.version = f"{config.get('version', '0')}+{_file_digest(checkpoint)}"
        if "span_head" in loaded:
            head = torch.nn.Linear(model.config.hidden_size, 1)
            head.load_state_dict({k: v.float() for k, v in loaded["span_head"].items()})
            self.span_head = head.eval()

    @classmethod
    def wrap(
        cls, model, tokenizer, class_names=LABELS, name="custom", version="0", batch_size=32, fast=False, bf16=False
    ):
        """A Scorer around an in-memory model (benchmarks, experiments)."""
        if fast:
            from .fast import speed_up

            speed_up(model, bf16=bf16)
        scorer = cls.__new__(cls)
        scorer.batch_size, scorer.span_head, scorer.model_dir = batch_size, None, None
        scorer._windows(WINDOW, STRIDE, "max")
        scorer._lock = threading.Lock()
        scorer._detox = _detoxify_shell(model.eval(), tokenizer, list(class_names))
        scorer.name, scorer.version = name, version
        scorer.precision = "bfloat16" if fast and bf16 else "float32"
        return scorer

    @property
    def description(self):
        """How this scorer runs, e.g. 'packed forward, float32 products' (benchmarks, /healthz)."""
        from .fast import installed

        return f"{'packed' if installed(self.model) else 'transformers'} forward, {self.precision} products"

    @property
    def model(self):
        return self._detox.model

    @property
    def tokenizer(self):
        return self._detox.tokenizer

    @property
    def lock(self):
        return self._lock

    def _forward(self, windows):
        """Probabilities per window, in LABELS order: one forward pass for all of them."""
        import torch

        from .windows import batch

        inputs = batch(windows, self.tokenizer.pad_token_id or 0)
        with self._lock, torch.no_grad():
            logits = self.model(**inputs)[0]
            self.forward_passes += 1
        return self.probabilities(logits)

    def probabilities(self, logits):
        """The model's logits as probabilities per row, in LABELS order (0 where it has none)."""
        import torch

        probs = torch.sigmoid(logits.float())
        names = [RENAMED.get(c, c) for c in self._detox.class_names]
        columns = [names.index(label) if label in names else None for label in LABELS]
        return [[float(row[c]) if c is not None else 0.0 for c in columns] for row in probs]

    def read(self, texts):
        """(the text the model reads of each of `texts`, all their windows, how many windows
        each has): what scoring starts from (normalize.py, windows.py)."""
        from .normalize import for_model
        from .windows import split

        readable = [for_model(text).text or " " for text in texts]
        windows = split(self.tokenizer, readable, self.window, self.stride)
        counts = [0] * len(texts)
        for window in windows:
            counts[window.text] += 1
        return readable, windows, counts

    def _score_batch(self, texts):
        """Scores for one batch: every window of every text, and the re-read pieces of those
        longer than a window (windows.py), in one forward pass, combined per text."""
        from .windows import combine, reread_pieces, split, with_reread

        readable, windows, counts = self.read(texts)
        owners, pieces = [], []
        for index in (i for i, n in enumerate(counts) if n > 1):
            for piece in reread_pieces(self.tokenizer, readable[index], self.window):
                owners.append(index)
                pieces.append(piece)
        extra = split(self.tokenizer, pieces, self.window, self.stride) if pieces else []
        probs = self._forward(windows + extra)
        per_text, reread = [[] for _ in texts], [[] for _ in texts]
        for window, row in zip(windows, probs):
            per_text[window.text].append(row)
        for window, row in zip(extra, probs[len(windows) :]):
            reread[owners[window.text]].append(dict(zip(LABELS, row)))
        return [
            with_reread({label: combine([p[k] for p in rows], self.combine) for k, label in enumerate(LABELS)}, again)
            for rows, again in zip(per_text, reread)
        ]

    def score(self, texts):
        """Scores for each text, in order. Batches texts of similar length together."""
        texts = [t if t.strip() else " " for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            for i, row in zip(chunk, self._score_batch([texts[i] for i in chunk])):
                results[i] = row
        return results


_shared = {}
_shared_lock = threading.Lock()


def get_scorer(**kwargs):
    """The process-wide Scorer for these arguments, loaded on first use."""
    # Key on the full argument list, so get_scorer() and
    # get_scorer(batch_size=32) share one model rather than load two.
    bound = inspect.signature(Scorer).bind(**kwargs)
    bound.apply_defaults()
    key = tuple((k, str(v)) for k, v in sorted(bound.arguments.items()))
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Scorer(**kwargs)
        return _shared[key]
