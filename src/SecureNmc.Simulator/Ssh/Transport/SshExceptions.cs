using System;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>
    /// The peer broke the protocol (or we refuse what it sent). Carries the DISCONNECT reason we
    /// send before closing. Messages describe the problem without any secret material.
    /// </summary>
    public class SshProtocolException : Exception
    {
        public SshProtocolException(SshDisconnectReason reason, string message, Exception? inner = null)
            : base(message, inner)
        {
            Reason = reason;
        }

        public SshDisconnectReason Reason { get; }
    }

    /// <summary>The peer sent SSH_MSG_DISCONNECT, or the connection dropped.</summary>
    public sealed class SshConnectionClosedException : Exception
    {
        public SshConnectionClosedException(SshDisconnectReason reason, string? peerMessage, bool byPeer, string message, Exception? inner = null)
            : base(message, inner)
        {
            Reason = reason;
            PeerMessage = peerMessage;
            ByPeer = byPeer;
        }

        public SshDisconnectReason Reason { get; }

        /// <summary>The description the peer put in its DISCONNECT, if it sent one.</summary>
        public string? PeerMessage { get; }

        /// <summary>True when the peer sent DISCONNECT (as opposed to a dropped link or a local close).</summary>
        public bool ByPeer { get; }
    }

    /// <summary>A read or write waited longer than its hard limit.</summary>
    public sealed class SshTimeoutException : TimeoutException
    {
        public SshTimeoutException(string message) : base(message) { }
    }
}
