"""Benchmarks: schemafirst's generated serializers and generator against their peers."""
