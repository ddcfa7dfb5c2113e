"""The ground under every app: caching and data versions, CSV, PDF and chart drawing, and the
rendered-document pipeline. It imports Django and libraries, never one of our apps."""
