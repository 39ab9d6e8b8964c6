"""Running the service: the doctor's checks, health and metrics, log formats."""
