"""`keras.utils.Progbar`: Keras's progress bar, written as Keras writes it.

verbose=1 draws `\x1b[1m 3/32\x1b[0m \x1b[32m━━\x1b[0m\x1b[37m━━━…\x1b[0m \x1b[1m1s\x1b[0m 12ms/step - loss: 0.2712`
(ANSI bold for the count and the time, green for the done part of the bar, grey for the rest),
redrawn in place at most every `interval` seconds, and ends with a newline once the target is
reached. verbose=2 writes one plain line at the end: `32/32 - 1s - 12ms/step - loss: 0.2712`.

One deliberate difference: Keras 3.15 decides it may redraw in place when `"posix" in
sys.modules`, which is true on every Linux and macOS, so a log file of a piped run fills with
backspaces and one partial line per redraw. Here in-place redraws happen on a terminal or in a
notebook; elsewhere only the final line of each bar is written, the same characters a terminal
shows once Keras's bar is done (tests/test_progbar.py and parity/test_progbar_parity.py).
"""

import math
import os
import sys
import time


def is_dynamic_display():
    """Whether the bar can redraw itself: stdout is a terminal, a notebook or PyCharm's console."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool((isatty is not None and isatty()) or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ)


def format_step_time(seconds, unit_name):
    """' 12ms/step', ' 3s/step' or ' 850us/step' as Keras words the time per unit."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def format_eta(seconds):
    """'1:02:03', '2:03' or '45s' (Keras's estimated time left)."""
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def format_value(value, signed_threshold=True):
    """A metric value as Keras prints it: 4 decimals, or scientific notation when small. The
    one-line (verbose=2) form compares the value itself, not its magnitude, with 1e-3."""
    if not isinstance(value, (int, float)):
        return f" {value}"
    size = abs(value) if signed_threshold else value
    return f" {value:.4f}" if size > 1e-3 else f" {value:.4e}"


def write(message):
    sys.stdout.write(message)
    sys.stdout.flush()


class Progbar:
    """Displays a progress bar (Keras's `keras.utils.Progbar`).

    Args:
        target: total number of steps expected, None if unknown.
        width: the bar's width in characters.
        verbose: 0 (silent), 1 (bar), 2 (one line at the end).
        interval: minimum time in seconds between two redraws.
        stateful_metrics: names of metrics shown as given; the others are averaged over the
            steps. Give this or `stateless_metrics`, not both.
        stateless_metrics: names of metrics averaged over the steps; the others shown as given.
        unit_name: what a step is called ('step' or 'sample').
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, stateless_metrics=None,
                 unit_name="step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Only one of `stateful_metrics` or `stateless_metrics` can be provided. "
                             f"Received: `stateful_metrics`={stateful_metrics!r}, "
                             f"`stateless_metrics`={stateless_metrics!r}")
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = set(stateful_metrics or ()) if stateless_metrics is None else None
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._dynamic_display = is_dynamic_display()
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]; insertion order is display order
        self._start = time.time()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Show step `current` with `values`, a list of (name, value for this step).
        `finalize` (default: `current >= target`) ends the bar with a newline."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if not self._averaged(name) or finalize:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                entry = self._values.setdefault(name, [0, 0])
                entry[0] += value * steps
                entry[1] += steps
        self._seen_so_far = current
        now = time.time()
        step_time = self._step_time(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            if self._dynamic_display or finalize:
                self._draw(current, now, step_time, finalize)
        elif self.verbose == 2 and finalize and self.target:
            line = f"{self._count(current)} - {now - self._start:.0f}s -{format_step_time(step_time, self.unit_name)}"
            write(line + self._metrics_text(signed_threshold=False) + "\n")
        self._last_update = now

    def add(self, n, values=None):
        """Advance by `n` steps."""
        self.update(self._seen_so_far + n, values)

    # ---------------------------------------------------------------- drawing
    def _count(self, current):
        digits = int(math.log10(self.target)) + 1
        return f"%{digits}d/%d" % (current, self.target)

    def _metrics_text(self, signed_threshold=True):
        text = ""
        for name, (total, count) in self._values.items():
            if not isinstance(total, (int, float)):
                total = float(sum(total) / len(total)) if hasattr(total, "__len__") else float(total)
            text += f" - {name}:" + format_value(total / max(1, count), signed_threshold)
        return text

    def _draw(self, current, now, step_time, finalize):
        hidden = 0  # characters of ANSI escapes, which take no room on screen
        if self.target:
            bar = f"\x1b[1m{self._count(current)}\x1b[0m "
            done = int(self.width * current / self.target)
            if done > 0:
                bar += f"\x1b[32m{'━' * done}\x1b[0m"
                hidden += 9
            bar += f"\x1b[37m{'━' * (self.width - done)}\x1b[0m"
            hidden += 17
        else:
            bar = "%7d/Unknown" % current
        if self.target and not finalize:
            info = f" \x1b[1m{format_eta(step_time * (self.target - current))}\x1b[0m"
        else:
            info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
        hidden += 8
        info += format_step_time(step_time, self.unit_name) + self._metrics_text()
        width = len(bar) + len(info) - hidden
        message = bar + info
        if self._dynamic_display:
            message = "\b" * self._prev_total_width + "\r" + message
            if self._prev_total_width > width:
                message += " " * (self._prev_total_width - width)
        if finalize:
            message += "\n"
        write(message)
        self._prev_total_width = width

    def _step_time(self, current, now):
        """Seconds per step, leaving out the first step (compilation, warm-up) once there are more."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step

    def mark_first_step(self, now=None):
        """Record the end of step 1 without drawing (fit's logger calls this when it does not
        need the step's logs)."""
        self._seen_so_far = max(self._seen_so_far, 1)
        self._time_after_first_step = time.time() if now is None else now
