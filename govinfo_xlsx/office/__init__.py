"""What a coordinating office adds to the checks: its configuration and the agencies' kinds."""
