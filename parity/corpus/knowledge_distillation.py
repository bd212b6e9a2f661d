"""Knowledge distillation: teacher and student Sequentials (Conv2D, LeakyReLU, MaxPooling2D, Flatten, Dense)
and a subclassed Distiller model that overrides compile() and compute_loss() (student loss plus a
temperature-softened KL divergence to the teacher, with ops.softmax) and calls the student.

keras.io example: examples/vision/knowledge_distillation.py (keras-team/keras-io), Keras 3 version
(`compute_loss`, `LeakyReLU(negative_slope=0.2)`, `ops.softmax`).
Changed: 8x8 synthetic images and 8 / 16 teacher filters instead of MNIST 28x28 and 256 / 512 (the student's
16 / 32 made 4 / 8). The outputs compared are the distiller's (the student's) and the teacher's; the training
step is the example's compute_loss.
"""


def build(keras):
    layers = keras.layers
    ops = keras.ops

    teacher = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            layers.Conv2D(8, (3, 3), strides=(2, 2), padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same"),
            layers.Conv2D(16, (3, 3), strides=(2, 2), padding="same"),
            layers.Flatten(),
            layers.Dense(10),
        ],
        name="teacher",
    )
    student = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            layers.Conv2D(4, (3, 3), strides=(2, 2), padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same"),
            layers.Conv2D(8, (3, 3), strides=(2, 2), padding="same"),
            layers.Flatten(),
            layers.Dense(10),
        ],
        name="student",
    )

    class Distiller(keras.Model):
        def __init__(self, student, teacher):
            super().__init__()
            self.teacher = teacher
            self.student = student

        def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1, temperature=3):
            super().compile(optimizer=optimizer, metrics=metrics)
            self.student_loss_fn = student_loss_fn
            self.distillation_loss_fn = distillation_loss_fn
            self.alpha = alpha
            self.temperature = temperature

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
            teacher_pred = self.teacher(x, training=False)
            student_loss = self.student_loss_fn(y, y_pred)
            distillation_loss = self.distillation_loss_fn(
                ops.softmax(teacher_pred / self.temperature, axis=1),
                ops.softmax(y_pred / self.temperature, axis=1),
            ) * (self.temperature**2)
            loss = self.alpha * student_loss + (1 - self.alpha) * distillation_loss
            return loss

        def call(self, x):
            return self.student(x)

    return Distiller(student=student, teacher=teacher)


def outputs(model, x):
    return [model(x, training=False), model.teacher(x, training=False)]


def train_loss(keras, model, x, y):
    model.compile(
        optimizer=keras.optimizers.Adam(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
        student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        distillation_loss_fn=keras.losses.KLDivergence(),
        alpha=0.1,
        temperature=10,
    )
    return model.compute_loss(x=x, y=y, y_pred=model(x, training=True))


def inputs(rng):
    return rng.random((3, 8, 8, 1)).astype("float32")


def targets(rng):
    return rng.integers(0, 10, 3)


def loss(keras):
    return None
