"""WebRTC signalling of the `builtin` video provider: the call page's WebSocket, relayed
between the owner's and the vet's connections, across webapp replicas."""
