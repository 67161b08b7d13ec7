namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// Bounds on what a peer may send over the control connection. A card that misbehaves (or anything
    /// pretending to be one) must not make us buffer without limit.
    /// </summary>
    public static class FtpLimits
    {
        /// <summary>Longest accepted control line in bytes, CRLF excluded (RFC 959 sets no limit; real replies are short).</summary>
        public const int MaxLineLength = 2048;

        /// <summary>Most lines accepted in one multi-line reply (welcome banners and FEAT lists stay far below).</summary>
        public const int MaxReplyLines = 200;

        /// <summary>Chunk size for data-connection reads and writes.</summary>
        public const int DataChunkSize = 64 * 1024;
    }
}
