//! Segmentation: sentence splitting and tokenization of English news text with byte offsets
