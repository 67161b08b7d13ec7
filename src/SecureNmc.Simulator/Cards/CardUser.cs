namespace SecureNmc.Simulator.Cards
{
    /// <summary>The kinds of account the simulator models (issue 4).</summary>
    public enum CardUserKind
    {
        /// <summary>Super user / administrator: may read files, run commands and upload firmware.</summary>
        Administrator,
        /// <summary>Device user: may read config.ini, event.txt, data.txt and run <c>about</c>; uploads are refused.</summary>
        DeviceUser,
        /// <summary>A user with an e-mail address and so MFA (AOS 3.4+): every SSH/FTP login fails with the MFA message.</summary>
        MultiFactor,
        /// <summary>The factory apc/apc login: accepted, but the card demands a password change before anything else.</summary>
        FactoryDefault,
    }

    public sealed class CardUser
    {
        public CardUser(string userName, string password, CardUserKind kind, string? email = null)
        {
            UserName = userName;
            Password = password;
            Kind = kind;
            Email = OptionalText.NoneIfEmpty(email); // "" from PowerShell means no address
        }

        public string UserName { get; }
        public string Password { get; }
        public CardUserKind Kind { get; }

        /// <summary>On NMC3, a local user with an e-mail address gets MFA; the fix is a user without one (FAQ000276382).</summary>
        public string? Email { get; }

        public bool MayUpload => Kind == CardUserKind.Administrator;

        /// <summary>The role name the banner shows.</summary>
        public string RoleName => Kind switch
        {
            CardUserKind.DeviceUser => "Device User",
            CardUserKind.FactoryDefault => "Super User",
            _ => "Administrator",
        };
    }
}
