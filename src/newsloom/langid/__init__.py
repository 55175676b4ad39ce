"""Language identification: the detector library and the ``langid`` stage."""

from newsloom.langid.detector import Detection, LanguageDetector, detect, detect_many

__all__ = ["Detection", "LanguageDetector", "detect", "detect_many"]
