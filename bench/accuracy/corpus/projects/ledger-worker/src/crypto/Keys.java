/**
 * -----BEGIN EC PRIVATE KEY-----
 * MHcCAQEEINQgD9tPK/jfib6wKpMAbLFkM8WBZBlWTiwRvpXglkr1PRIugZFA0/7O
 * 7XhecYtoD9L8DldHCKfBmbP7sAaGu2QVmGhxT4sIqrfXlEcuNVXjmLn1Zo6nkf7n
 * BYUFKL2/5Trp2c9IpuwNpIMK9GoCEHTsCl2BLW9jq6c=
 * -----END EC PRIVATE KEY-----
 */
final class Keys {}
