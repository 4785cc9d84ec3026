class PollError(Exception):
    """A poll or survey action the rules refuse; the message is shown to the member."""
