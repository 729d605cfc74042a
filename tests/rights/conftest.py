from tests.employer.conftest import at, in_process_tasks

__all__ = ["at", "in_process_tasks"]
