"""The one error tree of aiscaffold.

```
AiscaffoldError                     anything aiscaffold raises on purpose
└── UserError                       a person can fix it; one red line + hint, never a traceback
    ├── UsageError                  bad input: exit 2
    │   ├── UnknownTemplateError        TEMPLATE is not one of the catalog's kinds
    │   ├── InvalidDestinationError     DEST is empty, odd, or cannot be written
    │   ├── DestinationNotEmptyError    DEST has files and --force was not given
    │   ├── InvalidAnswerError          an answer fails its question's validator, or names no question
    │   ├── MissingAnswersError         no terminal to ask and the answers were not given
    │   ├── AnswersFileError            --answers-file cannot be read or is not a YAML mapping
    │   ├── NotAGeneratedProjectError   `update`: PATH has no readable .copier-answers.yml
    │   └── UncommittedChangesError     `update`: PATH is not a clean git work tree

    └── FailureError                exit 1: the request was fine, doing it failed
        ├── TemplateSourceError         --source cannot be reached or is not an aiscaffold template root
        ├── RenderError                 copier could not render the template
        ├── GitError                    a git command failed (git's own one-line reason)
        ├── PostGenerationError         a step after rendering (git, uv, pre-commit) failed
        │   └── StepsCancelledError         Ctrl-C/SIGTERM/SIGHUP during those steps: exit 130, project kept
        ├── VerificationError           `--verify`: a generated project failed one of its own checks
        └── ConflictsRemainError        `update`: the merge left conflicts to resolve
```

Ctrl-C is not an error here: ``cli`` maps ``KeyboardInterrupt`` to exit 130 ("nothing was written"), except
once the project is in place, where ``StepsCancelledError`` says what was kept and what is left to run.
Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class AiscaffoldError(Exception):
    """Root of every error aiscaffold raises on purpose."""


class UserError(AiscaffoldError):
    """An error the user can fix. ``hint`` says how; ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(UserError):
    """Bad input: an argument, option or answer that cannot be used (exit 2)."""

    exit_code = 2


class UnknownTemplateError(UsageError):
    """Raised when TEMPLATE names no template in the catalog."""


class InvalidDestinationError(UsageError):
    """Raised when DEST is empty, whitespace, a file, or a folder that cannot be written."""


class DestinationNotEmptyError(UsageError):
    """Raised when DEST already holds files and ``--force`` was not given."""


class InvalidAnswerError(UsageError):
    """Raised when an answer fails its question's validator or names no question of the template."""


class MissingAnswersError(UsageError):
    """Raised when there is no terminal to ask on and some answers were neither given nor defaulted."""


class AnswersFileError(UsageError):
    """Raised when ``--answers-file`` cannot be read or does not hold a YAML mapping."""


class NotAGeneratedProjectError(UsageError):
    """Raised by ``update`` when PATH has no readable answers file recording its template source."""


class UncommittedChangesError(UsageError):
    """Raised by ``update`` when PATH is not a git work tree or has uncommitted changes."""


class FailureError(UserError):
    """The request was valid but carrying it out failed (exit 1)."""

    exit_code = 1


class TemplateSourceError(FailureError):
    """Raised when the template source cannot be reached or is not an aiscaffold template root."""


class RenderError(FailureError):
    """Raised when copier fails to render the template."""


class GitError(FailureError):
    """Raised by ``aiscaffold.git`` when a git command fails: ``command`` is the git subcommand (``merge``),
    ``reason`` git's own one-line explanation.

    Callers that can say more (what the command was for, how to recover) catch it and raise their own.
    """

    def __init__(self, message: str, *, command: str, reason: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.command = command
        self.reason = reason


class PostGenerationError(FailureError):
    """Raised when a step after rendering fails; the rendered project is kept."""


class StepsCancelledError(PostGenerationError):
    """Raised when the run is interrupted during the steps after rendering; the project is kept."""

    exit_code = 130


class VerificationError(FailureError):
    """Raised by ``--verify`` when the new project fails one of its own checks; the project is kept."""


class ConflictsRemainError(FailureError):
    """Raised by ``update`` when the three-way merge left conflicts; the merged files stay for review."""
