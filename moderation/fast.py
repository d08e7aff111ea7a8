"""A faster CPU forward pass for BERT sequence classifiers.

detoxify scores a batch with ``model(**tokenizer(texts, padding=True))[0]``.
Three things make that slow on a CPU for comments of mixed length:

- padding: every linear layer runs over the padded batch. For real news
  comments, length-sorted into batches of 32, the padded batch is about 1.7x
  the real tokens. Here the linear layers run over the real tokens only
  (packed), and attention runs per comment over its own tokens, so no work
  is spent on padding and a comment's numbers never depend on its batch-mates
  (in float32; bfloat16 products round, and with AMX oneDNN's kernel, and so its
  order of sums, changes with the number of rows: batch-mates move a score by
  at most that rounding, measured 0.0009);
- the last layer: the classifier reads only the [CLS] position, so the last
  layer needs keys and values for every token but queries, attention output
  and feed-forward for [CLS] alone;
- float32 matrix products: on CPUs with native bfloat16 dot products
  (AVX512-BF16, AMX) the linear layers can multiply in bfloat16 (float32
  accumulation, bias, residuals, layer norms, softmax and GELU stay float32),
  about 4x faster per product. Scores move by at most a few thousandths
  (measured and reported in MODEL_CARD.md); ``bf16=False`` keeps float32.

``speed_up(model)`` installs this forward on a loaded
``BertForSequenceClassification`` (the instance only, eval mode only), so
detoxify's own ``predict`` calls it unchanged. In float32 it computes the
same function as transformers' forward; tests/moderation checks they agree
to 1e-5, and that bfloat16 agrees within its documented bound.
"""

import types

import torch
from torch.nn import functional as F


def supports(model):
    """True for the BERT-classifier shape this forward knows how to run."""
    config = getattr(model, "config", None)
    return (
        type(model).__name__ == "BertForSequenceClassification"
        and getattr(config, "position_embedding_type", "absolute") == "absolute"
        and not getattr(config, "is_decoder", False)
        and config.num_hidden_layers >= 1
    )


def installed(model):
    """True when this model instance runs the packed forward."""
    return getattr(getattr(model, "forward", None), "__func__", None) is _forward


def native_bf16():
    """True where this CPU multiplies bfloat16 natively (else bf16 is emulated, slower).

    oneDNN says yes to bfloat16 on any AVX-512 CPU, emulating it where the CPU has no
    bfloat16 dot products (AVX512-BF16 or AMX); emulated, it is slower than float32.
    So the CPU's own flags decide, where /proc/cpuinfo shows them.
    """
    from .cpu import features

    if not (torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()):
        return False
    return features()["BF16"] is not False  # None: flags unknown, trust oneDNN


def choose_precision(requested="auto"):
    """The precision a Scorer asked for `requested` multiplies in on this CPU."""
    if requested == "auto":
        return "bfloat16" if native_bf16() else "float32"
    return requested


class _Linear:
    """One linear layer's weights, kept in the precision its products run in."""

    def __init__(self, weight, bias, bf16):
        self.bf16 = bf16
        self.weight = weight.detach().to(torch.bfloat16 if bf16 else torch.float32)
        self.bias = bias.detach().float()

    def __call__(self, x):
        if not self.bf16:
            return F.linear(x, self.weight, self.bias)
        # bfloat16 operands, float32 bias and everything downstream.
        return F.linear(x.to(torch.bfloat16), self.weight).float() + self.bias

    def rows(self, start, stop):
        """The same layer restricted to output units [start, stop)."""
        part = _Linear.__new__(_Linear)
        part.bf16, part.weight, part.bias = self.bf16, self.weight[start:stop], self.bias[start:stop]
        return part


def speed_up(model, bf16=False):
    """Install the packed forward on this model instance; returns the model."""
    if not supports(model):
        return model
    for layer in model.bert.encoder.layer:
        attention = layer.attention.self
        # One matrix product for query, key and value instead of three.
        layer._parley_qkv = _Linear(
            torch.cat([attention.query.weight, attention.key.weight, attention.value.weight]),
            torch.cat([attention.query.bias, attention.key.bias, attention.value.bias]),
            bf16,
        )
        layer._parley_out = _Linear(layer.attention.output.dense.weight, layer.attention.output.dense.bias, bf16)
        layer._parley_up = _Linear(layer.intermediate.dense.weight, layer.intermediate.dense.bias, bf16)
        layer._parley_down = _Linear(layer.output.dense.weight, layer.output.dense.bias, bf16)
    model._parley_bf16 = bf16
    if not hasattr(model, "_parley_stock_forward"):
        model._parley_stock_forward = model.forward
    model.forward = types.MethodType(_forward, model)
    return model


def _forward(model, input_ids=None, attention_mask=None, token_type_ids=None, **kwargs):
    if model.training or input_ids is None or kwargs.get("labels") is not None:
        # Training, labels or other inputs: transformers' own forward.
        return model._parley_stock_forward(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, **kwargs
        )
    if attention_mask is None:
        attention_mask = torch.ones_like(input_ids)
    real = attention_mask.bool()
    lengths = real.sum(dim=1).tolist()
    hidden = model.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)[real]
    layers = model.bert.encoder.layer
    heads = layers[0].attention.self.num_attention_heads
    for layer in layers[:-1]:
        hidden = _layer(layer, hidden, lengths, heads)
    cls = _last_layer_cls(layer=layers[-1], hidden=hidden, lengths=lengths, heads=heads)
    pooled = model.bert.pooler.activation(model.bert.pooler.dense(cls))
    return (model.classifier(pooled),)


def encode(model, input_ids, attention_mask, token_type_ids=None):
    """(every token's last hidden state, padded as the input; the pooled [CLS]): what
    ``model.bert(...)`` gives as ``last_hidden_state`` and ``pooler_output``, packed.

    explain.py's span head reads every token, so unlike the classifier's forward the last
    layer runs in full; padded rows are zeros. Installed models only (``installed``).
    """
    real = attention_mask.bool()
    lengths = real.sum(dim=1).tolist()
    hidden = model.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)[real]
    layers = model.bert.encoder.layer
    heads = layers[0].attention.self.num_attention_heads
    for layer in layers:
        hidden = _layer(layer, hidden, lengths, heads)
    starts = torch.tensor([0] + lengths[:-1]).cumsum(0)
    pooled = model.bert.pooler.activation(model.bert.pooler.dense(hidden[starts]))
    padded = hidden.new_zeros(*input_ids.shape, hidden.shape[-1])
    padded[real] = hidden
    return padded, pooled


def _heads(x, heads):
    """(length, width) -> (1, heads, length, width / heads) for attention."""
    length, width = x.shape
    return x.view(1, length, heads, width // heads).transpose(1, 2)


def _attend(queries, keys, values, lengths, heads, query_lengths=None):
    """Multi-head attention of each comment's queries over its own keys.

    One comment at a time, over its real tokens only: nothing is padded, so a
    comment's numbers are the same whatever else is in the batch.
    """
    query_lengths = query_lengths or lengths
    contexts = []
    for q, k, v in zip(queries.split(query_lengths), keys.split(lengths), values.split(lengths)):
        context = F.scaled_dot_product_attention(_heads(q, heads), _heads(k, heads), _heads(v, heads))
        contexts.append(context.transpose(1, 2).reshape(q.shape))
    return torch.cat(contexts)


def _feed_forward(layer, attended):
    inner = layer.intermediate.intermediate_act_fn(layer._parley_up(attended))
    return layer.output.LayerNorm(layer._parley_down(inner) + attended)


def _layer(layer, hidden, lengths, heads):
    """One encoder layer over packed tokens (the linear work touches no padding)."""
    q, k, v = layer._parley_qkv(hidden).chunk(3, dim=-1)
    context = _attend(q, k, v, lengths, heads)
    attended = layer.attention.output.LayerNorm(layer._parley_out(context) + hidden)
    return _feed_forward(layer, attended)


def _last_layer_cls(layer, hidden, lengths, heads):
    """The last layer at the [CLS] position only: all the pooler reads."""
    width = hidden.shape[1]
    starts = torch.tensor([0] + lengths[:-1]).cumsum(0)  # each comment's [CLS] in the pack
    cls = hidden[starts]
    q = layer._parley_qkv.rows(0, width)(cls)
    k, v = layer._parley_qkv.rows(width, 3 * width)(hidden).chunk(2, dim=-1)
    context = _attend(q, k, v, lengths, heads, query_lengths=[1] * len(lengths))
    attended = layer.attention.output.LayerNorm(layer._parley_out(context) + cls)
    return _feed_forward(layer, attended)
