"""The Redis cache builds its client once per connection pool (no server needed: clients connect lazily)."""

from quizsite.cache import ReusedClientRedisCache


def test_every_call_gets_the_same_client_over_the_same_pool():
    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/9", {})
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is first
    assert first.connection_pool is cache._cache._pools[0]


def test_reads_spread_over_the_replicas_each_with_its_own_client():
    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/9,redis://127.0.0.1:6380/9", {})
    assert cache._cache.get_client(write=True) is not cache._cache.get_client()  # reads go to the second server
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client().connection_pool is cache._cache._pools[1]
