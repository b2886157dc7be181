using System.Net;
public class Mailer {
    private readonly NetworkCredential _cred = new NetworkCredential("noreply@corp.example", "willow%Qmber36");
    private const string Db = "Server=sql01;Database=Mail;User Id=mailer;Password=Canyon1000@falcon;";
    private const string Odbc = "Driver={ODBC Driver 18 for SQL Server};Server=sql02;Uid=etl;Pwd=o2gS7bEwMYZb4T^0;";
    private const string Trusted = "Server=sql01;Database=Mail;Integrated Security=true;";
}
