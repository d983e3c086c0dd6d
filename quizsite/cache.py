"""Django's Redis cache, keeping one client per connection pool.

Django's RedisCacheClient builds a new redis.Redis object around the pool for every cache call;
that construction was about a tenth of a signed-in request's time (an autosave reads the session
and the user from the cache). A redis.Redis over a pool is safe to share, so it is built once.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            self._clients[index] = self._client(connection_pool=self._pools[index])
        return self._clients[index]


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
