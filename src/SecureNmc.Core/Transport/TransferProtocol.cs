namespace SecureNmc.Core.Transport
{
    /// <summary>How a card is reached. NMC3 ships with SSH (and so SCP) on and FTP off.</summary>
    public enum TransferProtocol
    {
        Scp = 0,
        Ftp = 1,
    }
}
