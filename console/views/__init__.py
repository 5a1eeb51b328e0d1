"""Read models: every figure a panel, the map or a report shows, computed once, here.

Pure functions over replica reads (`console.replica.reads.ReplicaReads`) and a clock given as an
argument; no Qt. Panels in `console.ui` are thin widgets over these."""
