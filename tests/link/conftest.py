"""Linking fixtures: the knowledge base and the gazetteer load once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def kb():
    from newsloom.link.kb import KnowledgeBase

    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def places():
    from newsloom.link.places import gazetteer

    return gazetteer()


@pytest.fixture(scope="session")
def linker(kb, places):
    from newsloom.link.linker import Linker

    return Linker(kb, places)
