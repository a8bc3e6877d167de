"""Fresh papers from the network: Hugging Face Daily Papers and the arXiv API.

http: the one HTTP client (retries, pacing, caps); cache: ETag/Last-Modified per URL;
hf and arxiv: which URLs to ask, and when to stop paging; feeds: saved feeds from the config;
runner: fetch, parse each page whole, import it, remember its validators.
"""
