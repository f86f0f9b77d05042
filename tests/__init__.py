"""Tests for Car Bridge."""
