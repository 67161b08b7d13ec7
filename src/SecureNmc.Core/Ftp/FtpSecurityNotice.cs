namespace SecureNmc.Core.Ftp
{
    /// <summary>Texts the cmdlets show (WriteWarning) whenever FTP is used.</summary>
    public static class FtpSecurityNotice
    {
        /// <summary>FTP has no encryption: say so every time a session is opened.</summary>
        public const string ClearTextPasswordWarning =
            "FTP sends the user name and password to the card in clear text, so anyone who can watch the network " +
            "between this computer and the card can read them. Prefer SCP (SSH, the card default) or use FTP only " +
            "on a trusted management network, and disable the card's FTP server again afterwards.";
    }
}
