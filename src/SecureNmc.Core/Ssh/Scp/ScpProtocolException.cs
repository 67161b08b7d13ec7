using System;

namespace SecureNmc.Core.Ssh.Scp
{
    /// <summary>The SCP peer reported an error (status 1 or 2 plus a text line) or broke the SCP protocol.</summary>
    public sealed class ScpProtocolException : Exception
    {
        public ScpProtocolException(string message, string? peerText, bool fatal) : base(message)
        {
            PeerText = peerText;
            Fatal = fatal;
        }

        /// <summary>The error text exactly as the peer sent it (without the status byte), if any.</summary>
        public string? PeerText { get; }

        public bool Fatal { get; }

        /// <summary>True when the peer's text says the user may not do this (permission / denied / not allowed).</summary>
        public bool IsPermissionProblem =>
            PeerText != null && (PeerText.IndexOf("permission", StringComparison.OrdinalIgnoreCase) >= 0 ||
                                 PeerText.IndexOf("denied", StringComparison.OrdinalIgnoreCase) >= 0 ||
                                 PeerText.IndexOf("not allowed", StringComparison.OrdinalIgnoreCase) >= 0);
    }
}
