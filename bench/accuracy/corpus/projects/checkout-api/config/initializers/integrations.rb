Rails.application.configure do
  config.x.vercel_token = "vca_jAk3YLAmRtt8Qg5MhGlQxWQdFzNjm4Tyt555x9LKEPuimsARbNXFjjzy"
  config.x.db_password_secret_name = "prod/orders/db-password"
  config.x.vault_path = "secret/data/prod/payments"
  config.x.ionic_token = "ion_oWuHJiucf41OrVfBfL7E3NdwVFRfWhZIDAA7tF5kCQ"
  config.x.foundry_token = "eyJwbG50ciI6Ims2MGQrN1hMSVpqcjFEa2FQa0cxb04ydCIsImFsZyI6IkVTMjU2In0.eyJzdWIiOiJuS2VpU1gzLzR2RGkrTG1zMnhNejFKIiwianRpIjoiTXVxOEtzY0hNK201SHcxM212NlU0aiIsIm9yZyI6Ik5kczhlZHZzIn0.ss9eIbRiNbGE1W5lBmo-aA7PatEdi5DdrXvqsSQY28_CHepb7EbzoyvK4QKEvuN8dk_JHR7ReK1XInpqN5pBNM"
  config.x.shopee_partner_key = "shpksFh4S3S5VREuzLzkkfq3qFCuzqH74bkIVYejheJ0Nl6GgWGHF2cVToThxxbN"
end
