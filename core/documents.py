"""Documents drawn by a task (recoupment statements, case studies, nomination lists): what every
kind shares."""


class QueueUnavailable(Exception):
    """The task queue could not be reached: the document was marked failed and can be asked for
    again shortly."""
