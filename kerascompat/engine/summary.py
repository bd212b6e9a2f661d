"""`Model.summary()` in Keras 3's table layout, with the same parameter counts."""

import shutil

from .. import _tree
from ..ops.symbolic import Operation


def readable_memory_size(size):
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _format_shape(shape):
    if shape is None:
        return "?"
    if _tree.is_shape(shape):
        return str(tuple(shape))
    return str(_tree.map_shapes(tuple, shape)).replace("'", "")


def _memory(params):
    return sum(p.numel() * p.element_size() for p in {id(p): p for p in params}.values())


def _is_sequential_like(model):
    if model._summary_kind != "functional":
        return True
    consumers = {}
    for node in model._nodes:
        if len(node.input_tensors) > 1:
            return False
        for t in node.input_tensors:
            consumers[t._kid] = consumers.get(t._kid, 0) + 1
    layers = [n.layer for n in model._nodes]
    return all(c <= 1 for c in consumers.values()) and len(set(map(id, layers))) == len(layers)


def _rows(model, sequential_like):
    rows = []
    if model._summary_kind == "sequential":
        shapes = model.output_shapes()
        for layer, shape in zip(model.layers, shapes):
            rows.append([f"{layer.name} ({type(layer).__name__})", _format_shape(shape), _params(layer)])
        return rows
    model_nodes = set(id(n) for n in getattr(model, "_nodes", []))
    for layer in getattr(model, "_operations", model.layers):
        if layer._inbound_nodes:
            outs = layer._inbound_nodes[0].outputs
            shape = _tree.map_structure(lambda t: t.shape, outs)
            shape = _format_shape(shape)
        else:
            shape = "?"
        kind = layer.class_name if isinstance(layer, Operation) else type(layer).__name__
        row = [f"{layer.name} ({kind})", shape, _params(layer)]
        if not sequential_like:
            links = []
            for node in layer._inbound_nodes:
                if model._summary_kind == "functional" and id(node) not in model_nodes:
                    continue
                for t in node.input_tensors:
                    src, node_index, tensor_index = t._keras_history
                    links.append(f"{src.name}[{node_index}][{tensor_index}]")
            row.append(", ".join(links) or "-")
        rows.append(row)
    return rows


def _params(layer):
    if isinstance(layer, Operation):  # a keras.ops call holds no weights
        return "0"
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _wrap(text, width):
    text = str(text)
    return [text[i:i + width] for i in range(0, max(len(text), 1), width)]


def print_summary(model, line_length=None, positions=None, print_fn=None):
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        header, align = ["Layer (type)", "Output Shape", "Param #"], ["<", "<", ">"]
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
    else:
        header, align = ["Layer (type)", "Output Shape", "Param #", "Connected to"], ["<", "<", ">", "<"]
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
    line_length = line_length or min(default_length, shutil.get_terminal_size((default_length + 4, 24)).columns - 4)
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths, current = [], 0
    for pos in positions:
        widths.append(pos - current - 1)  # one column of each width is the border
        current = pos
    if any(w < 4 for w in widths):
        raise ValueError("Insufficient console width to print summary.")
    inner = [w - 2 for w in widths]  # one space of padding either side

    def line(left, fill, mid, right):
        return left + mid.join(fill * w for w in widths) + right

    def row(cells, bar="│"):
        wrapped = [_wrap(c, w) for c, w in zip(cells, inner)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = []
            for cell_lines, w, a in zip(wrapped, inner, align):
                text = cell_lines[i] if i < len(cell_lines) else ""
                parts.append(" " + f"{text:{a}{w}}" + " ")
            out.append(bar + bar.join(parts) + bar)
        return out

    lines = [f'Model: "{model.name}"', line("┏", "━", "┳", "┓")]
    lines += row(header, bar="┃")
    lines.append(line("┡", "━", "╇", "┩"))
    body = _rows(model, sequential_like)
    for i, cells in enumerate(body):
        lines += row(cells)
        lines.append(line("├", "─", "┼", "┤") if i < len(body) - 1 else line("└", "─", "┴", "┘"))
    if not body:
        lines.append(line("└", "─", "┴", "┘"))
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    n_train = sum(p.numel() for p in trainable)
    n_non = sum(p.numel() for p in non_trainable)
    m_train, m_non = _memory(trainable), _memory(non_trainable)
    lines.append(f" Total params: {n_train + n_non:,} ({readable_memory_size(m_train + m_non)})")
    lines.append(f" Trainable params: {n_train:,} ({readable_memory_size(m_train)})")
    lines.append(f" Non-trainable params: {n_non:,} ({readable_memory_size(m_non)})")
    text = "\n".join(lines)
    (print_fn or print)(text)
