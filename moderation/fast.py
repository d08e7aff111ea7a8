"""A faster CPU forward pass for BERT sequence classifiers, same numbers.

detoxify scores a batch with ``model(**tokenizer(texts, padding=True))[0]``.
Two things make that slow on a CPU for comments of mixed length:

- padding: every linear layer runs over the padded batch. For real news
  comments, length-sorted into batches of 32, the padded batch is about 1.7x
  the real tokens. Here the linear layers run over the real tokens only
  (packed), and only attention, a small part of the work, sees the padded shape;
- the last layer: the classifier reads only the [CLS] position, so the last
  layer needs keys and values for every token but queries, attention output
  and feed-forward for [CLS] alone.

``speed_up(model)`` installs this forward on a loaded
``BertForSequenceClassification`` (the instance only, eval mode only), so
detoxify's own ``predict`` calls it unchanged. It computes the same function
as transformers' forward; tests/moderation checks they agree to 1e-5.
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


def speed_up(model):
    """Install the packed forward on this model instance; returns the model."""
    if not supports(model):
        return model
    for layer in model.bert.encoder.layer:
        attention = layer.attention.self
        # One matrix product for query, key and value instead of three.
        layer._parley_qkv = (
            torch.cat([attention.query.weight, attention.key.weight, attention.value.weight]).detach(),
            torch.cat([attention.query.bias, attention.key.bias, attention.value.bias]).detach(),
        )
    model._parley_stock_forward = model.forward
    model.forward = types.MethodType(_forward, model)
    return model


def _forward(model, input_ids=None, attention_mask=None, token_type_ids=None, **kwargs):
    if model.training or input_ids is None or kwargs.get("labels") is not None:
        # Training, labels or other inputs: transformers' own forward.
        return model._parley_stock_forward(input_ids=input_ids, attention_mask=attention_mask,
                                           token_type_ids=token_type_ids, **kwargs)
    if attention_mask is None:
        attention_mask = torch.ones_like(input_ids)
    real = attention_mask.bool()
    hidden = model.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)[real]
    layers = model.bert.encoder.layer
    heads = layers[0].attention.self.num_attention_heads
    for layer in layers[:-1]:
        hidden = _layer(layer, hidden, real, heads)
    cls = _last_layer_cls(layers[-1], hidden, real, heads)
    pooled = model.bert.pooler.activation(model.bert.pooler.dense(cls))
    return (model.classifier(pooled),)


def _unpack(packed, real):
    """(tokens, width) rows back into a zero-padded (batch, length, width) tensor."""
    out = packed.new_zeros(*real.shape, packed.shape[-1])
    out[real] = packed
    return out


def _split_heads(x, heads):
    batch, length, width = x.shape
    return x.view(batch, length, heads, width // heads).transpose(1, 2)


def _attend(queries, keys, values, real, heads):
    """Multi-head attention of padded queries over each sequence's real keys."""
    mask = real[:, None, None, :]  # True where a key is a real token
    context = F.scaled_dot_product_attention(
        _split_heads(queries, heads), _split_heads(keys, heads), _split_heads(values, heads),
        attn_mask=mask)
    batch, _, length, size = context.shape
    return context.transpose(1, 2).reshape(batch, length, heads * size)


def _feed_forward(layer, attended):
    inner = layer.intermediate.intermediate_act_fn(layer.intermediate.dense(attended))
    return layer.output.LayerNorm(layer.output.dense(inner) + attended)


def _layer(layer, hidden, real, heads):
    """One encoder layer over packed tokens (the linear work touches no padding)."""
    weight, bias = layer._parley_qkv
    q, k, v = F.linear(hidden, weight, bias).chunk(3, dim=-1)
    context = _attend(_unpack(q, real), _unpack(k, real), _unpack(v, real), real, heads)[real]
    out = layer.attention.output
    attended = out.LayerNorm(out.dense(context) + hidden)
    return _feed_forward(layer, attended)


def _last_layer_cls(layer, hidden, real, heads):
    """The last layer at the [CLS] position only: all the pooler reads."""
    weight, bias = layer._parley_qkv
    width = weight.shape[1]
    starts = torch.cumsum(real.sum(dim=1), 0) - real.sum(dim=1)  # each row's [CLS] in the pack
    cls = hidden[starts]
    q = F.linear(cls, weight[:width], bias[:width]).unsqueeze(1)
    k, v = F.linear(hidden, weight[width:], bias[width:]).chunk(2, dim=-1)
    context = _attend(q, _unpack(k, real), _unpack(v, real), real, heads)[:, 0]
    out = layer.attention.output
    attended = out.LayerNorm(out.dense(context) + cls)
    return _feed_forward(layer, attended)
