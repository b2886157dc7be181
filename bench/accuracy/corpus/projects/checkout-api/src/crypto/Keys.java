/**
 * -----BEGIN EC PRIVATE KEY-----
 * MHcCAQEEIIWX5De5FRuoOrVVayIoQNldN4IZpnGSzLNp02qiaR1s0/j80qNRhgtx
 * q1Np8vHILq9OFZvIqx682RNpyobDJ5hN72hs1BmLAJOPqtty5+JQ6BrFx+Cc9YBQ
 * DwygdFezVfKiP3FvS6Xph9YB0xyk2bzlwP7qqeXZW8g=
 * -----END EC PRIVATE KEY-----
 */
final class Keys {}
